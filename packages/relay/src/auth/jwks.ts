import { request } from "node:https";
import { createRemoteJWKSet, customFetch, type FetchImplementation, type JWTVerifyGetKey } from "jose";

/** A JWKS larger than this is refused (real ones are a few KiB). */
const MAX_JWKS_BYTES = 1024 * 1024;

export interface JwksSourceOptions {
  jwksUri: string;
  /** PEM certificate(s) to trust for an https JWKS (the emulator's is self-signed). */
  tlsCa?: string;
}

/** The authority's signing keys, fetched and cached by jose. */
export function createJwksKeySource(options: JwksSourceOptions): JWTVerifyGetKey {
  const url = new URL(options.jwksUri);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`jwksUri must be an http(s) URL, got ${url.protocol}`);
  if (options.tlsCa === undefined) return createRemoteJWKSet(url);
  return createRemoteJWKSet(url, { [customFetch]: httpsFetchTrusting(options.tlsCa) });
}

/** A fetch for jose that trusts `ca` (in addition to nothing else) when the URL is https. */
function httpsFetchTrusting(ca: string): FetchImplementation {
  return (url, init) => {
    if (!url.startsWith("https:")) return fetch(url, init);
    return new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      init.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const req = request(url, { method: init.method, headers, ca, signal: init.signal }, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_JWKS_BYTES) {
            res.destroy(new Error(`JWKS response larger than ${MAX_JWKS_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", reject);
        res.on("end", () => {
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status }));
        });
      });
      req.on("error", reject);
      req.end();
    });
  };
}
