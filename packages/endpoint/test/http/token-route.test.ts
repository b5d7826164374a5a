import { AuthbridgeError, audienceNotSupportedMessage, createAllowlist, DEFAULT_ALLOWLIST, type Token } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MESSAGES } from "../../src/messages.js";
import { createFakeClock, type FakeClock } from "../helpers/fake-clock.js";
import { httpRequest, tokenPost } from "../helpers/http-client.js";
import { startTokenServer, type TokenServer } from "../helpers/token-server.js";
import { deferred, fakeTokenSource, makeToken, type FakeTokenSource } from "../helpers/tokens.js";

const T0 = 1_700_000_000_000; // epoch ms
const NOW_S = T0 / 1000;
const ARM = "https://management.azure.com/";

function errorText(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

describe("token route", () => {
  let clock: FakeClock;
  let tokens: FakeTokenSource;
  let server: TokenServer;

  beforeEach(async () => {
    clock = createFakeClock(T0);
    tokens = fakeTokenSource(() => Promise.resolve(makeToken(NOW_S + 3600)));
    server = await startTokenServer({ tokens, clock });
  });
  afterEach(async () => {
    await server.close();
  });

  describe("success", () => {
    it("answers in Cloud Shell's exact shape: key order, string values, expires_in at reply time", async () => {
      const first = await tokenPost(server.port, `resource=${ARM}`);
      expect(first.status).toBe(200);
      expect(first.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(first.headers["cache-control"]).toBe("no-store");
      expect(first.text).toBe(
        '{"access_token":"eyJ.access.token","refresh_token":"","expires_in":"3600","expires_on":"1700003600","not_before":"1700000000","resource":"https://management.azure.com/","token_type":"Bearer"}',
      );

      clock.advance(1_000_000); // 1000 s later, served from cache
      const later = await tokenPost(server.port, `resource=${ARM}`);
      expect(JSON.parse(later.text)).toEqual({
        access_token: "eyJ.access.token",
        refresh_token: "",
        expires_in: "2600",
        expires_on: "1700003600",
        not_before: "1700000000",
        resource: ARM,
        token_type: "Bearer",
      });
      expect(tokens.calls).toEqual([ARM]);
    });

    it("uses the token's own not_before, and counts expires_in from when the reply is written", async () => {
      const pending = deferred<Token>();
      tokens.respond(() => pending.promise);
      const reply = tokenPost(server.port, `resource=${ARM}`);
      await expect.poll(() => tokens.calls.length).toBe(1);
      clock.advance(20_000);
      pending.resolve(makeToken(NOW_S + 3600, { notBefore: NOW_S - 60, tokenType: "bearer" }));
      const body: unknown = JSON.parse((await reply).text);
      expect(body).toMatchObject({ expires_in: "3580", not_before: String(NOW_S - 60), token_type: "Bearer" });
    });

    it("accepts curl's unencoded body and a percent-encoded one alike", async () => {
      const raw = await tokenPost(server.port, "resource=https://management.azure.com/");
      const encoded = await tokenPost(server.port, "resource=https%3A%2F%2Fmanagement.azure.com%2F");
      expect([raw.status, encoded.status]).toEqual([200, 200]);
      expect(JSON.parse(encoded.text)).toMatchObject({ resource: ARM });
    });

    it.each([
      ["https://management.azure.com", "no slash where the allowlist has one"],
      ["https://vault.azure.net/", "a slash where the allowlist has none"],
    ])("serves %s (%s) and echoes it exactly", async (resource) => {
      const reply = await tokenPost(server.port, `resource=${resource}`);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ resource });
      expect(tokens.calls).toEqual([resource]);
    });

    it("serves /oauth2/token/ with a trailing slash and ignores extra fields", async () => {
      const reply = await httpRequest(server.port, {
        method: "POST",
        path: "/oauth2/token/?api-version=2019-08-01",
        headers: { metadata: "True" },
        body: `resource=${ARM}&token_type=Bearer&req_cnf=abc&key_id=k1&api-version=1`,
      });
      expect(reply.status).toBe(200);
    });

    it("takes the resource from the query string too, when it agrees with the body", async () => {
      const reply = await httpRequest(server.port, {
        method: "POST",
        path: `/oauth2/token?resource=${encodeURIComponent(ARM)}`,
        headers: { metadata: "true" },
        body: `resource=${ARM}`,
      });
      expect(reply.status).toBe(200);
      const queryOnly = await httpRequest(server.port, { method: "POST", path: `/oauth2/token?resource=${ARM}`, headers: { metadata: "true" } });
      expect(queryOnly.status).toBe(200);
    });

    it("answers the IMDS dialect with the same JSON", async () => {
      const reply = await httpRequest(server.port, {
        path: `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(ARM)}`,
        headers: { metadata: "true" },
      });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ resource: ARM, expires_in: "3600" });
    });
  });

  describe("refusals", () => {
    it("refuses an audience outside the allowlist with Cloud Shell's exact JSON and never asks the browser", async () => {
      const resource = "https://newservice.azure.com/";
      const reply = await tokenPost(server.port, `resource=${resource}`);
      expect(reply.status).toBe(400);
      expect(reply.text).toBe(errorText("AudienceNotSupported", audienceNotSupportedMessage(resource, createAllowlist(DEFAULT_ALLOWLIST))));
      expect(reply.text.startsWith('{"error":{"code":"AudienceNotSupported","message":"Audience https://newservice.azure.com/ is not a supported MSI token audience. Supported audiences: https://management.core.windows.net/, ')).toBe(true);
      expect(tokens.calls).toEqual([]);
    });

    it.each(["evil.test", "evil.test:50342", "localhost.evil.test", "127.0.0.2", "[::2]:1", "localhost:port"])("refuses Host %s (DNS rebinding)", async (host) => {
      const reply = await tokenPost(server.port, `resource=${ARM}`, { metadata: "true", host });
      expect([reply.status, reply.text]).toEqual([400, errorText("HostNotAllowed", MESSAGES.HostNotAllowed)]);
    });

    it("refuses a request without a Host header", async () => {
      const reply = await httpRequest(server.port, { method: "POST", path: "/oauth2/token", host: null, headers: { metadata: "true" }, body: `resource=${ARM}` });
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "HostNotAllowed" } });
    });

    it.each(["localhost", "LOCALHOST:50342", "127.0.0.1", "127.0.0.1:50342", "[::1]", "[::1]:50342"])("accepts loopback Host %s", async (host) => {
      const reply = await tokenPost(server.port, `resource=${ARM}`, { metadata: "true", host });
      expect(reply.status).toBe(200);
    });

    it("checks Host before X-Forwarded-For before method before Metadata", async () => {
      const all = await httpRequest(server.port, { method: "PUT", path: "/oauth2/token", host: "evil.test", headers: { "x-forwarded-for": "10.0.0.1" } });
      expect(JSON.parse(all.text)).toMatchObject({ error: { code: "HostNotAllowed" } });
      const forwarded = await httpRequest(server.port, { method: "PUT", path: "/oauth2/token", headers: { "x-forwarded-for": "10.0.0.1" } });
      expect([forwarded.status, forwarded.text]).toEqual([400, errorText("ForwardedRequestRefused", MESSAGES.ForwardedRequestRefused)]);
      const method = await httpRequest(server.port, { method: "PUT", path: "/oauth2/token" });
      expect(JSON.parse(method.text)).toMatchObject({ error: { code: "MethodNotAllowed" } });
    });

    it("refuses a forwarded request (X-Forwarded-For or Forwarded)", async () => {
      for (const header of ["x-forwarded-for", "forwarded"]) {
        const reply = await tokenPost(server.port, `resource=${ARM}`, { metadata: "true", [header]: "for=10.0.0.1" });
        expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "ForwardedRequestRefused" } });
      }
      expect(tokens.calls).toEqual([]);
    });

    it.each([
      ["missing", {}],
      ["false", { metadata: "false" }],
      ["yes", { metadata: "yes" }],
    ])("requires Metadata: true (%s)", async (_name, headers: Record<string, string>) => {
      const reply = await tokenPost(server.port, `resource=${ARM}`, headers);
      expect([reply.status, reply.text]).toEqual([400, errorText("MetadataHeaderRequired", "Add the header 'Metadata: true' to the request.")]);
    });

    it("answers the wrong method with 405 and Allow", async () => {
      const get = await httpRequest(server.port, { path: `/oauth2/token?resource=${ARM}`, headers: { metadata: "true" } });
      expect([get.status, get.headers.allow, get.text]).toEqual([405, "POST", errorText("MethodNotAllowed", "Use POST for /oauth2/token.")]);
      const post = await httpRequest(server.port, { method: "POST", path: "/metadata/identity/oauth2/token", headers: { metadata: "true" }, body: "x" });
      expect([post.status, post.headers.allow, post.headers.connection]).toEqual([405, "GET", "close"]);
    });

    it("refuses a body over the cap with 413 by Content-Length, and closes", async () => {
      const reply = await tokenPost(server.port, `resource=${ARM}&pad=${"a".repeat(9000)}`);
      expect([reply.status, reply.headers.connection]).toEqual([413, "close"]);
      expect(reply.text).toBe(errorText("PayloadTooLarge", "The request body is larger than 8192 bytes; send only resource=<audience>."));
      expect(tokens.calls).toEqual([]);
    });

    it("refuses a chunked body once it passes the cap", async () => {
      const chunk = Buffer.alloc(4096, "a");
      const reply = await httpRequest(server.port, {
        method: "POST",
        path: "/oauth2/token",
        headers: { metadata: "true" },
        chunks: [Buffer.from(`resource=${ARM}&pad=`), chunk, chunk, chunk],
      });
      expect([reply.status, reply.headers.connection]).toEqual([413, "close"]);
    });

    it.each([
      ["", "ResourceRequired"],
      ["resource=", "ResourceRequired"],
      ["other=1", "ResourceRequired"],
      [`resource=${ARM}&resource=${ARM}`, "InvalidRequest"],
      [`resource=${ARM}&token_type=pop`, "InvalidRequest"],
      [`resource=${ARM}&token_type=ssh-cert`, "InvalidRequest"],
      [`resource=${ARM}&client_id=00000000-0000-0000-0000-000000000001`, "IdentityNotSupported"],
      [`resource=${ARM}&object_id=x`, "IdentityNotSupported"],
      [`resource=${ARM}&msi_res_id=x`, "IdentityNotSupported"],
      [`resource=${ARM}&mi_res_id=x`, "IdentityNotSupported"],
      [`resource=${ARM}&principal_id=x`, "IdentityNotSupported"],
    ])("refuses body %j with 400 %s", async (body, code) => {
      const reply = await tokenPost(server.port, body);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code } });
      expect(tokens.calls).toEqual([]);
    });

    it("words the missing resource and the user-assigned identity refusals for the human", async () => {
      const missing = await tokenPost(server.port, "");
      expect(missing.text).toBe(errorText("ResourceRequired", MESSAGES.ResourceRequired));
      const identity = await tokenPost(server.port, `resource=${ARM}&client_id=abc`);
      expect(identity.text).toBe(
        errorText(
          "IdentityNotSupported",
          "authbridge acts for the signed-in user; user-assigned identities are not available, as in Cloud Shell. Remove client_id from the request.",
        ),
      );
    });

    it("refuses a query resource that disagrees with the body", async () => {
      const reply = await httpRequest(server.port, {
        method: "POST",
        path: "/oauth2/token?resource=https://graph.microsoft.com/",
        headers: { metadata: "true" },
        body: `resource=${ARM}`,
      });
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "InvalidRequest" } });
    });

    it("requires api-version in the IMDS dialect", async () => {
      const reply = await httpRequest(server.port, { path: `/metadata/identity/oauth2/token?resource=${ARM}`, headers: { metadata: "true" } });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "InvalidRequest" } });
    });

    it("answers other paths with 404 NotFound when used alone", async () => {
      const reply = await httpRequest(server.port, { path: "/nope" });
      expect([reply.status, reply.text]).toEqual([404, errorText("NotFound", MESSAGES.NotFound)]);
    });

    it("gives up on a body that never finishes", async () => {
      const slow = await startTokenServer({ tokens, clock, bodyTimeoutMs: 50 });
      try {
        const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          void import("node:http").then(({ request }) => {
            const req = request({ host: "127.0.0.1", port: slow.port, method: "POST", path: "/oauth2/token", headers: { metadata: "true", "content-length": "100" } });
            req.on("response", (res) => {
              let text = "";
              res.on("data", (chunk: Buffer) => (text += chunk.toString()));
              res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
            });
            req.on("error", reject);
            req.write("resource=");
          });
        });
        expect(reply.status).toBe(408);
        expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "InvalidRequest" } });
      } finally {
        await slow.close();
      }
    });
  });

  describe("failures from the browser side", () => {
    it.each([
      ["BrowserNotConnected", 503],
      ["BrowserDisconnected", 503],
      ["RelayUnavailable", 503],
      ["Timeout", 504],
      ["InteractionRequired", 401],
      ["PolicyRefused", 403],
      ["invalid_resource", 400],
      ["AADSTS500011", 400],
    ])("passes %s through as HTTP %i with its message", async (code, status) => {
      tokens.respond(() => Promise.reject(new AuthbridgeError(code, `message for ${code}`)));
      const reply = await tokenPost(server.port, `resource=${ARM}`);
      expect([reply.status, reply.text]).toEqual([status, errorText(code, `message for ${code}`)]);
    });

    it("hides unexpected failures behind 500 Internal", async () => {
      tokens.respond(() => Promise.reject(new Error("secret details")));
      const reply = await tokenPost(server.port, `resource=${ARM}`);
      expect([reply.status, reply.text]).toEqual([500, errorText("Internal", MESSAGES.Internal)]);
    });

    it("does not cache a failure: the next request asks again", async () => {
      tokens.respond(() => Promise.reject(new AuthbridgeError("Timeout", "slow")));
      expect((await tokenPost(server.port, `resource=${ARM}`)).status).toBe(504);
      tokens.respond(() => Promise.resolve(makeToken(NOW_S + 3600)));
      expect((await tokenPost(server.port, `resource=${ARM}`)).status).toBe(200);
      expect(tokens.calls).toEqual([ARM, ARM]);
    });

    it("shares one browser round trip among concurrent requests", async () => {
      const pending = deferred<Token>();
      tokens.respond(() => pending.promise);
      const replies = Array.from({ length: 10 }, () => tokenPost(server.port, `resource=${ARM}`));
      await expect.poll(() => tokens.calls.length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      pending.resolve(makeToken(NOW_S + 3600));
      const statuses = (await Promise.all(replies)).map((r) => r.status);
      expect(statuses).toEqual(Array<number>(10).fill(200));
      expect(tokens.calls).toEqual([ARM]);
    });
  });
});
