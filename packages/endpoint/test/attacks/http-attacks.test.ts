import { createAllowlist, DEFAULT_ALLOWLIST } from "@authbridge/protocol";
import { connect } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApp, createEndpointServer, createTokenCache, createTokenHandler, type EndpointServer } from "../../src/index.js";
import { silentLogger } from "../../src/logger.js";
import { MESSAGES } from "../../src/messages.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { createFigures } from "../../../../test-support/figures.js";
import { httpRequest, type HttpRequestOptions } from "../helpers/http-client.js";
import { fakeTokenSource, makeToken, type FakeTokenSource } from "../helpers/tokens.js";
import { closeServer, listenOnFreePort } from "../helpers/listening.js";

/**
 * Hostile HTTP clients against the real endpoint server (token handler plus
 * admin app). Every case asserts the exact refusal, that the token source was
 * never asked, and that no token text is in the reply.
 */
const ARM = "https://management.azure.com/";
const SECRET = "eyJ.secret-access.token";
const figures = createFigures("endpoint http attack cases");

interface Refusal {
  status: number;
  code?: string;
  message?: string | RegExp;
}

describe("hostile HTTP clients get the exact refusal and no token", () => {
  let tokens: FakeTokenSource;
  let endpoint: EndpointServer;
  let port: number;

  beforeEach(async () => {
    const clock = createFakeClock();
    tokens = fakeTokenSource(() => Promise.resolve(makeToken(1_700_003_600, { accessToken: SECRET })));
    const tokenHandler = createTokenHandler({ cache: createTokenCache({ clock }), allowlist: createAllowlist(DEFAULT_ALLOWLIST), tokens, clock, bodyTimeoutMs: 500 });
    endpoint = createEndpointServer({ tokenHandler, app: createAdminApp({ status: () => ({ relay: "connected", browser: true }), logger: silentLogger() }) });
    port = await listenOnFreePort(endpoint.server);
  });
  afterEach(async () => {
    await closeServer(endpoint.server);
  });
  afterAll(() => {
    console.log(figures.line());
  });

  function assertRefused(reply: { status: number; text: string }, expected: Refusal): void {
    expect(reply.status).toBe(expected.status);
    if (expected.code !== undefined) {
      const body: unknown = JSON.parse(reply.text);
      expect(body).toMatchObject({ error: { code: expected.code } });
      if (expected.message !== undefined) expect(body).toMatchObject({ error: { message: expected.message } });
    }
    expect(reply.text).not.toContain(SECRET);
    expect(tokens.calls).toEqual([]);
  }

  const form = { "content-type": "application/x-www-form-urlencoded", metadata: "true" };
  const post = (body: string | Buffer, headers: Record<string, string> = form): HttpRequestOptions => ({ method: "POST", path: "/oauth2/token", headers, body });

  const cases: [string, HttpRequestOptions, Refusal][] = [
    // Metadata
    ["no Metadata header", post(`resource=${ARM}`, { "content-type": "application/x-www-form-urlencoded" }), { status: 400, code: "MetadataHeaderRequired", message: MESSAGES.MetadataHeaderRequired }],
    ["Metadata: false", post(`resource=${ARM}`, { ...form, metadata: "false" }), { status: 400, code: "MetadataHeaderRequired" }],
    ["Metadata: 1", post(`resource=${ARM}`, { ...form, metadata: "1" }), { status: 400, code: "MetadataHeaderRequired" }],
    ["Metadata: empty", post(`resource=${ARM}`, { ...form, metadata: "" }), { status: 400, code: "MetadataHeaderRequired" }],
    ["Metadata: 'true ' padded inside quotes", post(`resource=${ARM}`, { ...form, metadata: '"true"' }), { status: 400, code: "MetadataHeaderRequired" }],
    ["Metadata sent twice", { method: "POST", path: "/oauth2/token", headers: { "content-type": "application/x-www-form-urlencoded", metadata: ["true", "true"] }, body: `resource=${ARM}` }, { status: 400, code: "MetadataHeaderRequired" }],
    ["Metadata on the IMDS dialect missing", { path: `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${ARM}` }, { status: 400, code: "MetadataHeaderRequired" }],
    // Forwarding
    ["X-Forwarded-For: 127.0.0.1", post(`resource=${ARM}`, { ...form, "x-forwarded-for": "127.0.0.1" }), { status: 400, code: "ForwardedRequestRefused", message: MESSAGES.ForwardedRequestRefused }],
    ["X-Forwarded-For: empty", post(`resource=${ARM}`, { ...form, "x-forwarded-for": "" }), { status: 400, code: "ForwardedRequestRefused" }],
    ["Forwarded: for=10.0.0.1", post(`resource=${ARM}`, { ...form, forwarded: "for=10.0.0.1" }), { status: 400, code: "ForwardedRequestRefused" }],
    ["X-Forwarded-For on /healthz", { path: "/healthz", headers: { "x-forwarded-for": "10.0.0.1" } }, { status: 400, code: "ForwardedRequestRefused" }],
    // Host (DNS rebinding)
    ["Host: evil.example", { ...post(`resource=${ARM}`), host: "evil.example" }, { status: 400, code: "HostNotAllowed", message: MESSAGES.HostNotAllowed }],
    ["Host: localhost.evil.example", { ...post(`resource=${ARM}`), host: "localhost.evil.example" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: 127.0.0.1.nip.io:50342", { ...post(`resource=${ARM}`), host: "127.0.0.1.nip.io:50342" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: evil@127.0.0.1", { ...post(`resource=${ARM}`), host: "evil@127.0.0.1" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: 127.0.0.1:50342.evil", { ...post(`resource=${ARM}`), host: "127.0.0.1:50342.evil" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: 0.0.0.0", { ...post(`resource=${ARM}`), host: "0.0.0.0" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: 10.1.2.3", { ...post(`resource=${ARM}`), host: "10.1.2.3" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: [::ffff:127.0.0.1]", { ...post(`resource=${ARM}`), host: "[::ffff:127.0.0.1]" }, { status: 400, code: "HostNotAllowed" }],
    ["Host: 2130706433 (decimal loopback)", { ...post(`resource=${ARM}`), host: "2130706433" }, { status: 400, code: "HostNotAllowed" }],
    ["no Host header", { ...post(`resource=${ARM}`), host: null }, { status: 400, code: "HostNotAllowed" }],
    ["Host: evil.example on /readyz", { path: "/readyz", host: "evil.example" }, { status: 400, code: "HostNotAllowed" }],
    // Bodies
    ["an empty body", post(""), { status: 400, code: "ResourceRequired", message: MESSAGES.ResourceRequired }],
    ["resource= (empty value)", post("resource="), { status: 400, code: "ResourceRequired" }],
    ["resource sent twice (same value)", post(`resource=${ARM}&resource=${ARM}`), { status: 400, code: "InvalidRequest", message: "Send resource only once." }],
    ["resource sent twice (different values)", post(`resource=${ARM}&resource=https://graph.microsoft.com/`), { status: 400, code: "InvalidRequest", message: "Send resource only once." }],
    ["resource in query and body disagreeing", { ...post(`resource=${ARM}`), path: "/oauth2/token?resource=https://graph.microsoft.com/" }, { status: 400, code: "InvalidRequest" }],
    ["a broken percent-encoding", post("resource=%E0%A4%A&x=%ZZ"), { status: 400, code: "AudienceNotSupported" }],
    ["a JSON body", post(JSON.stringify({ resource: ARM }), { ...form, "content-type": "application/json" }), { status: 400, code: "ResourceRequired" }],
    ["a binary body", post(Buffer.from([0x00, 0xff, 0xfe, 0x72, 0x65, 0x73, 0x00, 0x3d, 0x80, 0x81, 0xc3, 0x28])), { status: 400, code: "ResourceRequired" }],
    ["a body one byte over 8 KiB", post(`resource=${ARM}&pad=${"a".repeat(8 * 1024)}`), { status: 413, code: "PayloadTooLarge" }],
    ["a 1 MiB body", post("a".repeat(1024 * 1024)), { status: 413, code: "PayloadTooLarge" }],
    ["a Content-Length of 10^12", { ...post(""), headers: { ...form, "content-length": "1000000000000" } }, { status: 413, code: "PayloadTooLarge" }],
    ["a user-assigned identity", post(`resource=${ARM}&client_id=00000000-0000-0000-0000-000000000001`), { status: 400, code: "IdentityNotSupported" }],
    ["token_type=pop", post(`resource=${ARM}&token_type=pop`), { status: 400, code: "InvalidRequest" }],
    ["a huge header", post(`resource=${ARM}`, { ...form, "x-pad": "a".repeat(20_000) }), { status: 431 }],
    ["5000 headers", post(`resource=${ARM}`, { ...form, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-h${i}`, "1"])) }), { status: 431 }],
    // Methods and paths
    ...(["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] as const).map((method): [string, HttpRequestOptions, Refusal] => [
      `${method} /oauth2/token`,
      { method, path: "/oauth2/token", headers: { metadata: "true" } },
      { status: 405, code: "MethodNotAllowed", message: "Use POST for /oauth2/token." },
    ]),
    ["POST on the IMDS path", { method: "POST", path: "/metadata/identity/oauth2/token", headers: form, body: `resource=${ARM}` }, { status: 405, code: "MethodNotAllowed" }],
    ...["/OAUTH2/TOKEN", "/oauth2/token/x", "/oauth2//token", "//oauth2/token", "/oauth2/token;x", "/oauth2/token%2F", "/./oauth2/token", "/oauth2/../oauth2/token", "/msi/token", "/"].map(
      (path): [string, HttpRequestOptions, Refusal] => [`POST ${path}`, { method: "POST", path, headers: form, body: `resource=${ARM}` }, { status: 404, code: "NotFound", message: MESSAGES.NotFound }],
    ),
    ["an absolute-form request target", { method: "POST", path: "http://evil.example/oauth2/token", headers: form, body: `resource=${ARM}` }, { status: 404, code: "NotFound" }],
  ];

  it.each(cases)("%s", (_name, request, expected) =>
    figures.run(async () => {
      const reply = await httpRequest(port, request);
      assertRefused(reply, expected);
    }),
  );

  // Audiences outside the allowlist, spelled to look like one inside it.
  const lookAlikes: [string, string][] = [
    ["upper-case host", "https://MANAGEMENT.azure.com/"],
    ["upper-case scheme", "HTTPS://management.azure.com/"],
    ["two trailing slashes", "https://management.azure.com//"],
    ["a path suffix", "https://management.azure.com/subscriptions"],
    ["a /.default scope", "https://management.azure.com/.default"],
    ["a query suffix", "https://management.azure.com/?x=1"],
    ["a fragment", "https://management.azure.com/#x"],
    ["userinfo before the host", "https://evil@management.azure.com/"],
    ["the host as userinfo", "https://management.azure.com@evil.example/"],
    ["an explicit port", "https://management.azure.com:443/"],
    ["a trailing dot", "https://management.azure.com./"],
    ["http instead of https", "http://management.azure.com/"],
    ["a Cyrillic а", "https://mаnagement.azure.com/"],
    ["a fullwidth dot", "https://management．azure.com/"],
    ["punycode of a look-alike", "https://xn--mnagement-0tg.azure.com/"],
    ["a zero-width space", "https://manage\u200bment.azure.com/"],
    ["a leading space", " https://management.azure.com/"],
    ["a trailing newline", "https://management.azure.com/\n"],
    ["a NUL byte", "https://management.azure.com/\u0000"],
    ["a backslash", "https://management.azure.com\\"],
    ["the vault audience with two slashes", "https://vault.azure.net//"],
    ["a GUID audience in upper case", "00000003-0000-0000-C000-000000000000"],
    ["a GUID audience with braces", "{00000003-0000-0000-c000-000000000000}"],
    ["a suffix domain", "https://management.azure.com.evil.example/"],
    ["a 2 KiB resource", `https://management.azure.com/${"a".repeat(2048)}`],
  ];

  it.each(lookAlikes)("refuses the audience with %s", (_name, resource) =>
    figures.run(async () => {
      const reply = await httpRequest(port, post(`resource=${encodeURIComponent(resource)}`));
      assertRefused(reply, { status: 400, code: "AudienceNotSupported" });
      expect(reply.text).toMatch(/ is not a supported MSI token audience\. Supported audiences: https:\/\/management\.core\.windows\.net\//);
    }),
  );

  /** Bytes a node client refuses to send: raw over a socket. */
  function raw(request: string | Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
      socket.setTimeout(5_000, () => socket.destroy());
      socket.end(request);
    });
  }

  const rawCases: [string, string | Buffer, RegExp][] = [
    ["an unknown method", `BREW /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata: true\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["a garbage request line", `\x00\x01\x02 not http\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["a header without a colon", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata true\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["both Content-Length and chunked", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata: true\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["two different Content-Lengths", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata: true\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nresource`, /^HTTP\/1\.1 400 /],
    ["a bad chunk size", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata: true\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nresource\r\n0\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["a truncated body", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nMetadata: true\r\nContent-Length: 100\r\n\r\nresource=${ARM}`, /^(?:HTTP\/1\.1 400 |$)/],
    ["HTTP/0.9", `GET /oauth2/token\r\n\r\n`, /^HTTP\/1\.1 400 /],
    ["a Host header with a CR inside", `POST /oauth2/token HTTP/1.1\r\nHost: localhost\rEvil: 1\r\nMetadata: true\r\n\r\n`, /^HTTP\/1\.1 400 /],
  ];

  it.each(rawCases)("answers %s with a bare 400 (or a close), never a token", (_name, request, expected) =>
    figures.run(async () => {
      const reply = await raw(request);
      expect(reply).toMatch(expected);
      expect(reply).not.toContain(SECRET);
      expect(tokens.calls).toEqual([]);
    }),
  );

  it("still serves a well-formed request after all that", () =>
    figures.run(async () => {
      const reply = await httpRequest(port, post(`resource=${ARM}`));
      expect(reply.status).toBe(200);
      expect(tokens.calls).toEqual([ARM]);
    }),
  );
});
