import { isWebOrigin, loadAppConfig, parseWith, type ConfigFetch, type LoadedAppConfig, type ParseResult } from "@authbridge/protocol";
import { z } from "zod";

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isJsonObject(value: string): boolean {
  try {
    const data: unknown = JSON.parse(value);
    return typeof data === "object" && data !== null && !Array.isArray(data);
  } catch {
    return false;
  }
}

const httpUrl = z.string().refine((v) => hasProtocol(v, ["http:", "https:"]), "must be an http(s) URL");

/** The portal's runtime configuration, served as `/config.json` (docs/CONTRACTS.md). */
export const portalConfigSchema = z.object({
  clientId: z.string().min(1),
  /** MSAL accepts a non-Microsoft authority only over https. */
  authority: z.string().refine((v) => hasProtocol(v, ["https:"]), "must be an https URL"),
  /** Host names with the port (`localhost:8443`), else MSAL asks Microsoft's instance discovery. */
  knownAuthorities: z.array(z.string().min(1)),
  /** The authority's openid-configuration as a JSON string. */
  authorityMetadata: z.string().refine(isJsonObject, "must be the openid-configuration as a JSON object string").optional(),
  redirectUri: httpUrl,
  relayApiUrl: httpUrl.transform((v) => v.replace(/\/+$/, "")),
  relayWsUrl: z.string().refine((v) => hasProtocol(v, ["ws:", "wss:"]), "must be a ws(s) URL"),
  relayScope: z.string().min(1),
  consoleOrigin: z.string().refine(isWebOrigin, "must be an exact http(s) origin such as http://127.0.0.1:5174"),
  /** `null`: every resource the endpoint asks for; a list: only these (with or without a trailing slash). */
  allowedResources: z.array(z.string().min(1)).nullable(),
});
export type PortalConfig = z.infer<typeof portalConfigSchema>;

export function parsePortalConfig(input: unknown): ParseResult<PortalConfig> {
  return parseWith(portalConfigSchema, input);
}

export type LoadedConfig = LoadedAppConfig<PortalConfig>;

/** Fetches and validates `/config.json`; a failure comes back as a message for the page. */
export function loadPortalConfig(fetchImpl: ConfigFetch, url = "/config.json"): Promise<LoadedConfig> {
  return loadAppConfig(fetchImpl, url, parsePortalConfig);
}
