import { AuthbridgeError } from "@authbridge/protocol";
import { MESSAGES } from "../messages.js";
import type { TokenRoute } from "./token-paths.js";

/** Parameters that name a user-assigned identity, which authbridge does not have. */
export const IDENTITY_PARAMS: readonly string[] = ["client_id", "object_id", "msi_res_id", "mi_res_id", "principal_id"];

export interface TokenParams {
  /** Exactly as the client sent it (echoed back in `resource`). */
  resource: string;
}

/**
 * Reads a token request's parameters from the query string and the form
 * body (both `application/x-www-form-urlencoded`; curl's unencoded
 * `resource=https://…/` parses as sent). Unknown fields (`api-version`,
 * `req_cnf`, `key_id`, …) are ignored.
 */
export function parseTokenParams(route: TokenRoute, queryText: string, bodyText: string): TokenParams | AuthbridgeError {
  const query = new URLSearchParams(queryText);
  const body = new URLSearchParams(bodyText);

  const fromBody = body.getAll("resource");
  const fromQuery = query.getAll("resource");
  if (fromBody.length > 1 || fromQuery.length > 1) {
    return new AuthbridgeError("InvalidRequest", "Send resource only once.");
  }
  const [bodyResource] = fromBody;
  const [queryResource] = fromQuery;
  if (bodyResource !== undefined && queryResource !== undefined && bodyResource !== queryResource) {
    return new AuthbridgeError("InvalidRequest", "The query string and the body name different resources; send resource once.");
  }
  const resource = bodyResource ?? queryResource;
  if (resource === undefined || resource === "") return new AuthbridgeError("ResourceRequired", MESSAGES.ResourceRequired);

  const field = (name: string): string | null => query.get(name) ?? body.get(name);

  if (route.dialect === "imds" && !field("api-version")) {
    return new AuthbridgeError("InvalidRequest", "Add api-version to the query string, e.g. ?api-version=2018-02-01&resource=….");
  }
  const identity = IDENTITY_PARAMS.find((name) => Boolean(field(name)));
  if (identity !== undefined) {
    return new AuthbridgeError("IdentityNotSupported", `${MESSAGES.IdentityNotSupported}. Remove ${identity} from the request.`);
  }
  const tokenType = field("token_type");
  if (tokenType !== null && tokenType !== "" && tokenType.toLowerCase() !== "bearer") {
    return new AuthbridgeError("InvalidRequest", `token_type ${tokenType.slice(0, 32)} is not available; only bearer tokens are issued.`);
  }
  return { resource };
}
