/**
 * The audiences an endpoint serves. Matching is exact on the string the
 * client sent, plus the variant with or without one trailing slash
 * (`@azure/identity` drops it, `az` keeps it). Nothing else is normalised:
 * case, paths, userinfo and look-alikes are different audiences.
 */
export interface Allowlist {
  readonly audiences: readonly string[];
  has(resource: string): boolean;
}

export function createAllowlist(audiences: Iterable<string>): Allowlist {
  const list = [...new Set(audiences)];
  const set = new Set(list);
  return {
    audiences: list,
    has(resource) {
      if (set.has(resource)) return true;
      if (!resource.endsWith("/")) return set.has(`${resource}/`);
      const bare = resource.slice(0, -1);
      return bare.length > 0 && !bare.endsWith("/") && set.has(bare);
    },
  };
}

/** The message Cloud Shell gives for an audience it does not serve. */
export function audienceNotSupportedMessage(resource: string, allowlist: Allowlist): string {
  return `Audience ${resource} is not a supported MSI token audience. Supported audiences: ${allowlist.audiences.join(", ")}`;
}
