/* global process */
// @azure/msal-node ManagedIdentityApplication in a Cloud Shell-like process (source: MSI_ENDPOINT).
// Usage: node msal-node.js <resource>
import { ManagedIdentityApplication } from "@azure/msal-node";
import { claimsOf, listVms, report } from "./arm-check.js";

const [resource] = process.argv.slice(2);
await report(async () => {
  const app = new ManagedIdentityApplication({ system: { disableInternalRetries: true } });
  const result = await app.acquireToken({ resource });
  const again = await app.acquireToken({ resource });
  const claims = claimsOf(result.accessToken);
  return {
    source: app.getManagedIdentitySource(),
    aud: claims.aud,
    exp: claims.exp,
    tid: claims.tid,
    expiresOn: result.expiresOn === null ? null : result.expiresOn.getTime(),
    tokenType: result.tokenType,
    fromCache: again.fromCache,
    sameTokenTwice: result.accessToken === again.accessToken,
    arm: await listVms(result.accessToken),
  };
});
