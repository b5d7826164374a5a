import express, { type Router } from "express";
import { discoveryDocument, acceptsTenant, type Endpoints } from "../endpoints.js";
import { pathParam } from "../http/params.js";
import type { SigningKeys } from "../keys.js";

export interface OpenIdDeps {
  endpoints: Endpoints;
  keys: SigningKeys;
}

/** The openid-configuration (with and without `/v2.0`) and the JWKS, readable cross-origin. */
export function createOpenIdRouter({ endpoints, keys }: OpenIdDeps): Router {
  const router = express.Router();
  const document = discoveryDocument(endpoints);

  router.get(["/:tenant/v2.0/.well-known/openid-configuration", "/:tenant/.well-known/openid-configuration"], (req, res) => {
    res.set("Access-Control-Allow-Origin", "*");
    const tenant = pathParam(req, "tenant");
    if (!acceptsTenant(endpoints, tenant)) {
      res.status(400).json({
        error: "invalid_tenant",
        error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        error_codes: [90002],
      });
      return;
    }
    res.json(document);
  });

  router.get(["/:tenant/discovery/v2.0/keys", "/:tenant/discovery/keys"], (req, res) => {
    res.set("Access-Control-Allow-Origin", "*");
    if (!acceptsTenant(endpoints, pathParam(req, "tenant"))) {
      res.status(404).json({ error: "invalid_tenant", error_codes: [90002] });
      return;
    }
    res.json(keys.jwks);
  });

  return router;
}
