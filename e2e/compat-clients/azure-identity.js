/* global process */
// @azure/identity in a Cloud Shell-like process: MSI_ENDPOINT set, nothing else configured.
// Usage: node azure-identity.js managed|default <scope>
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { claimsOf, listVms, report } from "./arm-check.js";

const [mode, scope] = process.argv.slice(2);
await report(async () => {
  const credential = mode === "default" ? new DefaultAzureCredential() : new ManagedIdentityCredential();
  const first = await credential.getToken(scope);
  // A second call must come from the SDK's own cache (it caches only when it understood expires_on).
  const second = await credential.getToken(scope);
  const claims = claimsOf(first.token);
  return {
    aud: claims.aud,
    exp: claims.exp,
    tid: claims.tid,
    expiresOnTimestamp: first.expiresOnTimestamp,
    refreshAfterTimestamp: first.refreshAfterTimestamp ?? null,
    tokenType: first.tokenType ?? null,
    sameTokenTwice: first.token === second.token,
    arm: await listVms(first.token),
  };
});
