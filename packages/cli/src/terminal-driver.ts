import type { FrameLocator, Page } from "playwright-core";

export interface CommandRun {
  /** The rows the command printed (between its own echo and the next prompt), right-trimmed. */
  output: string[];
  /** From pressing Enter until the next prompt showed, in ms. */
  ms: number;
}

/** What the terminal's viewport shows: one string per row, as xterm's DOM renderer draws it. */
export async function terminalRows(page: Page): Promise<string[]> {
  const rows = await consoleFrame(page).locator(".xterm-rows > div").allTextContents();
  return rows.map((row) => row.replace(/\u00a0/g, " ").trimEnd());
}

const PROMPT_END = /[$#]$/;
const POLL_MS = 10;

/**
 * Types commands into the console iframe's terminal as a person would and
 * reads what they print from the screen. Each command starts on a cleared
 * screen, so its output is the rows between its echo and the next prompt.
 */
export class TerminalDriver {
  constructor(
    private readonly page: Page,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Waits for the login shell's first prompt. */
  async ready(): Promise<void> {
    await this.#until(async () => (await this.#lastRow()).match(PROMPT_END) !== null, "the shell's prompt");
  }

  async run(command: string): Promise<CommandRun> {
    await this.#type("clear");
    // The prompt is read from the same screen the check saw: a second read could already show the next keystrokes.
    let prompt = "";
    await this.#until(async () => {
      const rows = nonEmpty(await terminalRows(this.page));
      prompt = rows[0] ?? "";
      return rows.length === 1 && PROMPT_END.test(prompt);
    }, "a cleared screen");
    await this.#type(command, false);
    const started = performance.now();
    await this.page.keyboard.press("Enter");
    const wanted = squash(command);
    let output: string[] | undefined;
    await this.#until(async () => {
      const rows = nonEmpty(await terminalRows(this.page));
      const last = rows.at(-1) ?? "";
      if (rows.length < 2 || !last.endsWith(prompt)) return false;
      // Output without a final newline shares its last row with the prompt.
      const tail = last === prompt ? [] : [last.slice(0, -prompt.length)];
      // The command's echo may wrap over several rows: it ends on the row where the squashed text ends with it.
      let echoed = "";
      for (let i = 0; i < rows.length - 1; i += 1) {
        echoed += squash(rows[i] ?? "");
        if (echoed.endsWith(wanted)) {
          output = [...rows.slice(i + 1, -1), ...tail];
          return true;
        }
      }
      return false;
    }, `the prompt after ${JSON.stringify(command.slice(0, 40))}`);
    return { output: output ?? [], ms: performance.now() - started };
  }

  async #type(line: string, enter = true): Promise<void> {
    await consoleFrame(this.page).locator(".xterm").click();
    await this.page.keyboard.type(line);
    if (enter) await this.page.keyboard.press("Enter");
  }

  async #lastRow(): Promise<string> {
    return nonEmpty(await terminalRows(this.page)).at(-1) ?? "";
  }

  async #until(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = performance.now() + this.timeoutMs;
    while (!(await check())) {
      if (performance.now() > deadline) throw new Error(`the terminal never showed ${what}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

function consoleFrame(page: Page): FrameLocator {
  return page.frameLocator("#console");
}

function nonEmpty(rows: string[]): string[] {
  let end = rows.length;
  while (end > 0 && rows[end - 1] === "") end -= 1;
  return rows.slice(0, end);
}

function squash(text: string): string {
  return text.replace(/\s+/g, "");
}
