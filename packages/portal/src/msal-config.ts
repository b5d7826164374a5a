import { BrowserCacheLocation, type Configuration } from "@azure/msal-browser";
import type { PortalConfig } from "./config.js";

/**
 * MSAL's configuration from the portal config. Nothing emulator-specific:
 * the same build runs against Entra ID with a different `/config.json`.
 */
export function buildMsalConfiguration(config: PortalConfig, postLogoutRedirectUri: string): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: [...config.knownAuthorities],
      ...(config.authorityMetadata === undefined ? {} : { authorityMetadata: config.authorityMetadata }),
      redirectUri: config.redirectUri,
      postLogoutRedirectUri,
    },
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
  };
}
