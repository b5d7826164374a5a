export const GRAPH_RESOURCE = "https://graph.microsoft.com";

/** OpenID Connect scopes: they shape the id token and refresh token, never the access token's audience. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const DEFAULT_SUFFIX = "/.default";

export interface ResolvedScopes {
  /** The access token's `aud`, verbatim from the scope (`https://management.azure.com//.default` → `https://management.azure.com/`). */
  resource: string;
  /** The `scp` claim. */
  scp: string;
  /** Whether `openid` was requested (an id token then rides along). */
  openid: boolean;
}

export type ScopeResolution = { ok: true; value: ResolvedScopes } | { ok: false; aadsts: number; message: string };

function splitResourceScope(scope: string): { resource: string; permission: string } {
  if (scope.endsWith(DEFAULT_SUFFIX)) {
    return { resource: scope.slice(0, -DEFAULT_SUFFIX.length), permission: "user_impersonation" };
  }
  const slash = scope.lastIndexOf("/");
  if (slash < 0) return { resource: GRAPH_RESOURCE, permission: scope };
  return { resource: scope.slice(0, slash), permission: scope.slice(slash + 1) };
}

/**
 * Maps a v2 `scope` parameter to the one resource it asks for, as Entra ID does:
 * `<resource>/.default` and `<resource>/<Permission>` name the resource; a bare
 * permission (`User.Read`) or only OIDC scopes mean Microsoft Graph. Scopes
 * for two resources in one request are refused (AADSTS28000).
 */
export function resolveScopes(scopeParam: string): ScopeResolution {
  const scopes = scopeParam.split(" ").filter((scope) => scope !== "");
  const openid = scopes.some((scope) => scope.toLowerCase() === "openid");
  const resourceScopes = scopes.filter((scope) => !OIDC_SCOPES.has(scope.toLowerCase()));
  if (resourceScopes.length === 0) {
    return { ok: true, value: { resource: GRAPH_RESOURCE, scp: "openid profile email User.Read", openid } };
  }
  let resource: string | undefined;
  const permissions: string[] = [];
  for (const scope of resourceScopes) {
    const split = splitResourceScope(scope);
    if (split.resource === "" || split.permission === "") {
      return { ok: false, aadsts: 70011, message: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.` };
    }
    if (resource !== undefined && resource !== split.resource) {
      return {
        ok: false,
        aadsts: 28000,
        message: "Provided value for the input parameter scope is not valid because it contains more than one resource.",
      };
    }
    resource = split.resource;
    if (!permissions.includes(split.permission)) permissions.push(split.permission);
  }
  return { ok: true, value: { resource: resource ?? GRAPH_RESOURCE, scp: permissions.join(" "), openid } };
}

/** Compares resources the way the fault switches do: exact, apart from one trailing slash. */
export function sameResource(a: string, b: string): boolean {
  const strip = (value: string): string => (value.endsWith("/") ? value.slice(0, -1) : value);
  return strip(a) === strip(b);
}
