/** Every URL the emulator publishes, derived from its base URL and tenant. */
export interface Endpoints {
  url: string;
  tenantId: string;
  issuer: string;
  authorization: string;
  token: string;
  jwks: string;
  logout: string;
}

export function endpointsFor(url: string, tenantId: string): Endpoints {
  const tenantBase = `${url}/${tenantId}`;
  return {
    url,
    tenantId,
    issuer: `${tenantBase}/v2.0`,
    authorization: `${tenantBase}/oauth2/v2.0/authorize`,
    token: `${tenantBase}/oauth2/v2.0/token`,
    jwks: `${tenantBase}/discovery/v2.0/keys`,
    logout: `${tenantBase}/oauth2/v2.0/logout`,
  };
}

/** Tenant path segments the emulator answers for: its tenant id and the multi-tenant aliases. */
export function acceptsTenant(endpoints: Endpoints, segment: string): boolean {
  const lower = segment.toLowerCase();
  return lower === endpoints.tenantId.toLowerCase() || lower === "common" || lower === "organizations";
}

/** The Entra ID v2 openid-configuration, pointing at this emulator. */
export function discoveryDocument(endpoints: Endpoints): Record<string, unknown> {
  return {
    token_endpoint: endpoints.token,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: endpoints.jwks,
    response_modes_supported: ["query", "fragment"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: endpoints.issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: endpoints.authorization,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: endpoints.logout,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "preferred_username", "name", "tid", "ver", "oid", "sid", "login_hint"],
    code_challenge_methods_supported: ["S256"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    tenant_region_scope: "EU",
    cloud_instance_name: "localhost",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  };
}
