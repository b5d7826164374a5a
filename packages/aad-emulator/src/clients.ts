/** An app registration: which redirect URIs may receive codes for this client id. */
export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
}

export interface ClientRegistry {
  /** Adds the client, or adds redirect URIs to an already registered one. */
  register(client: RegisteredClient): void;
  isRegistered(clientId: string): boolean;
  /** Exact string match, as Entra ID compares redirect URIs. */
  allowsRedirect(clientId: string, redirectUri: string): boolean;
  /** Whether `url` has the origin of any registered redirect URI (for post-logout redirects). */
  allowsPostLogoutOrigin(url: URL, clientId?: string): boolean;
}

function originOf(uri: string): string | undefined {
  try {
    return new URL(uri).origin;
  } catch {
    return undefined;
  }
}

export function createClientRegistry(initial: readonly RegisteredClient[] = []): ClientRegistry {
  const clients = new Map<string, Set<string>>();
  const registry: ClientRegistry = {
    register({ clientId, redirectUris }) {
      if (clientId.trim() === "") throw new TypeError("clientId must not be empty");
      for (const uri of redirectUris) {
        const origin = originOf(uri);
        if (origin === undefined || origin === "null") throw new TypeError(`redirect URI ${uri} is not an absolute http(s) URL`);
      }
      const uris = clients.get(clientId) ?? new Set<string>();
      for (const uri of redirectUris) uris.add(uri);
      clients.set(clientId, uris);
    },
    isRegistered: (clientId) => clients.has(clientId),
    allowsRedirect: (clientId, redirectUri) => clients.get(clientId)?.has(redirectUri) ?? false,
    allowsPostLogoutOrigin(url, clientId) {
      const candidates = clientId !== undefined ? [clients.get(clientId) ?? new Set<string>()] : [...clients.values()];
      return candidates.some((uris) => [...uris].some((uri) => originOf(uri) === url.origin));
    },
  };
  for (const client of initial) registry.register(client);
  return registry;
}
