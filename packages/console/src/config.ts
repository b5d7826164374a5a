import { isWebOrigin, loadAppConfig, parseWith, type ConfigFetch, type LoadedAppConfig, type ParseResult } from "@authbridge/protocol";
import { z } from "zod";

/** The console's runtime configuration, served as `/config.json` (docs/CONTRACTS.md). */
export const consoleConfigSchema = z.object({
  portalOrigin: z.string().refine(isWebOrigin, "must be an exact http(s) origin such as http://localhost:5173"),
});
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export function parseConsoleConfig(input: unknown): ParseResult<ConsoleConfig> {
  return parseWith(consoleConfigSchema, input);
}

export type LoadedConfig = LoadedAppConfig<ConsoleConfig>;

/** Fetches and validates `/config.json`; a failure comes back as a message for the page. */
export function loadConsoleConfig(fetchImpl: ConfigFetch, url = "/config.json"): Promise<LoadedConfig> {
  return loadAppConfig(fetchImpl, url, parseConsoleConfig);
}
