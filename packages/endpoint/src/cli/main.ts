import { runEnv } from "./env-command.js";
import { MAIN_HELP } from "./help.js";
import type { CliIo } from "./io.js";
import { runServe } from "./serve-command.js";

/** Dispatches a sub-command; resolves with the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "serve":
        return await runServe(args, io);
      case "env":
        return runEnv(args, io);
      case "help":
      case "--help":
      case "-h":
        io.stdout(MAIN_HELP);
        return 0;
      case undefined:
        io.stderr(MAIN_HELP);
        return 2;
      default:
        io.stderr(`authbridge-endpoint: unknown command ${JSON.stringify(command)}\n\n${MAIN_HELP}`);
        return 2;
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`authbridge-endpoint ${command ?? ""}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** `node:util` parseArgs failures (unknown option, missing value). */
function isUsageError(error: unknown): error is Error {
  return error instanceof TypeError && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS_");
}
