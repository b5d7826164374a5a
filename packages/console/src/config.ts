import { describeParseError, parseWith, type ParseResult } from "@authbridge/protocol";
import { z } from "zod";
import { isWebOrigin } from "./origin.js";

/** The console's runtime configuration, served as `/config.json` (docs/CONTRACTS.md). */
export const consoleConfigSchema = z.object({
  portalOrigin: z.string().refine(isWebOrigin, "must be an exact http(s) origin such as http://localhost:5173"),
});
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export function parseConsoleConfig(input: unknown): ParseResult<ConsoleConfig> {
  return parseWith(consoleConfigSchema, input);
}

export type LoadedConfig = { ok: true; config: ConsoleConfig } | { ok: false; message: string };

/** Fetches and validates `/config.json`; a failure comes back as a message for the page. */
export async function loadConsoleConfig(fetchImpl: typeof fetch, url = "/config.json"): Promise<LoadedConfig> {
  let data: unknown;
  try {
    const response = await fetchImpl(url, { cache: "no-store", credentials: "omit" });
    if (!response.ok) return { ok: false, message: `${url} answered HTTP ${response.status}.` };
    data = await response.json();
  } catch {
    return { ok: false, message: `${url} could not be loaded as JSON.` };
  }
  const parsed = parseConsoleConfig(data);
  if (!parsed.ok) return { ok: false, message: `${url} is invalid: ${describeParseError(parsed.error)}` };
  return { ok: true, config: parsed.value };
}
