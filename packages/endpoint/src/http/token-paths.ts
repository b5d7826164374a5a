import { CLOUD_SHELL_TOKEN_PATH, IMDS_TOKEN_PATH } from "@authbridge/protocol";

/** The two dialects a token request can arrive in. */
export type TokenDialect = "cloud-shell" | "imds";

export interface TokenRoute {
  dialect: TokenDialect;
  /** The one method the dialect uses, for the Allow header. */
  method: "POST" | "GET";
  /** The canonical path, for messages. */
  path: string;
}

const CLOUD_SHELL: TokenRoute = { dialect: "cloud-shell", method: "POST", path: CLOUD_SHELL_TOKEN_PATH };
const IMDS: TokenRoute = { dialect: "imds", method: "GET", path: IMDS_TOKEN_PATH };

const ROUTES = new Map<string, TokenRoute>([
  [CLOUD_SHELL_TOKEN_PATH, CLOUD_SHELL],
  [`${CLOUD_SHELL_TOKEN_PATH}/`, CLOUD_SHELL],
  [IMDS_TOKEN_PATH, IMDS],
  [`${IMDS_TOKEN_PATH}/`, IMDS],
]);

export interface SplitUrl {
  pathname: string;
  /** The raw query after `?`, without the `?` ("" when none). */
  query: string;
}

/** Splits a request target without building a URL object (hot path). */
export function splitUrl(target: string): SplitUrl {
  const mark = target.indexOf("?");
  return mark === -1 ? { pathname: target, query: "" } : { pathname: target.slice(0, mark), query: target.slice(mark + 1) };
}

/** The token route a path names (with or without a trailing slash), if any. */
export function matchTokenRoute(pathname: string): TokenRoute | undefined {
  return ROUTES.get(pathname);
}
