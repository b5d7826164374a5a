import { describe, expect, it } from "vitest";
import { checkAgentFrameText, checkBrowserFrameText, encodeFrame, parseAgentFrameText, parseBrowserFrameText, parseRelayFrame, parseRelayFrameText } from "../src/index.js";

const request = { v: 1, type: "token.request", id: "req_1", resource: "https://management.azure.com/", deadline: 1_700_000_000_000 } as const;
const okResponse = {
  v: 1,
  type: "token.response",
  id: "req_1",
  ok: true,
  token: { accessToken: "eyJ.x.y", expiresOn: 1_700_003_599, tokenType: "Bearer", resource: "https://management.azure.com/" },
} as const;

describe("relay frames", () => {
  it("accepts every v1 frame and round-trips it through encodeFrame", () => {
    const frames = [
      { v: 1, type: "hello", role: "agent", protocol: 1 },
      { v: 1, type: "welcome", sessionId: "s1", peer: false },
      { v: 1, type: "peer", state: "connected" },
      request,
      okResponse,
      { v: 1, type: "token.response", id: "req_1", ok: false, error: { code: "invalid_resource", message: "AADSTS500011" } },
      { v: 1, type: "error", code: "Timeout", message: "late", id: "req_1" },
    ];
    for (const frame of frames) {
      const parsed = parseRelayFrameText(encodeFrame(frame as never));
      expect(parsed).toEqual({ ok: true, value: frame });
    }
  });

  it.each([
    ["not JSON", "{", ""],
    ["an array", "[]", ""],
    ["a wrong version", JSON.stringify({ ...request, v: 2 }), "v"],
    ["an unknown type", JSON.stringify({ v: 1, type: "shell.exec" }), "type"],
    ["an id with spaces", JSON.stringify({ ...request, id: "a b" }), "id"],
    ["a resource with spaces", JSON.stringify({ ...request, resource: "https://x y" }), "resource"],
    ["a fractional deadline", JSON.stringify({ ...request, deadline: 1.5 }), "deadline"],
    ["a token without expiry", JSON.stringify({ ...okResponse, token: { ...okResponse.token, expiresOn: "soon" } }), "token.expiresOn"],
    ["an empty access token", JSON.stringify({ ...okResponse, token: { ...okResponse.token, accessToken: "" } }), "token.accessToken"],
  ])("rejects %s, naming the path", (_label, text, path) => {
    const parsed = parseRelayFrameText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok && path !== "") expect(parsed.error.path).toContain(path.split(".")[0]);
  });

  it("rejects frames larger than the frame limit before parsing them", () => {
    const parsed = parseRelayFrameText(JSON.stringify({ ...request, pad: "x".repeat(70_000) }));
    expect(parsed).toEqual({ ok: false, error: { path: "", message: "message larger than 65536 bytes" } });
  });

  it("lets each side send only its own frames", () => {
    expect(parseAgentFrameText(JSON.stringify(request)).ok).toBe(true);
    expect(parseAgentFrameText(JSON.stringify(okResponse)).ok).toBe(false);
    expect(parseBrowserFrameText(JSON.stringify(okResponse)).ok).toBe(true);
    expect(parseBrowserFrameText(JSON.stringify(request)).ok).toBe(false);
  });

  it.each([null, undefined, 42, "hello", true])("rejects the non-object %p", (input) => {
    expect(parseRelayFrame(input).ok).toBe(false);
  });

  it("says a frame is verbatim only when the parser dropped nothing from it, at any depth", () => {
    expect(checkAgentFrameText(JSON.stringify(request))).toEqual({ ok: true, value: { value: request, verbatim: true } });
    expect(checkBrowserFrameText(` ${JSON.stringify(okResponse)}\n`)).toEqual({ ok: true, value: { value: okResponse, verbatim: true } });
    const withNotBefore = { ...okResponse, token: { ...okResponse.token, notBefore: 1_700_000_000 } };
    expect(checkBrowserFrameText(JSON.stringify(withNotBefore))).toMatchObject({ ok: true, value: { verbatim: true } });
    for (const padded of [
      { ...request, extra: 1 },
      { ...okResponse, token: { ...okResponse.token, refreshToken: "r" } },
      { v: 1, type: "token.response", id: "req_1", ok: false, error: { code: "Denied", message: "no" }, token: okResponse.token },
      { v: 1, type: "token.response", id: "req_1", ok: false, error: { code: "Denied", message: "no", stack: "…" } },
    ]) {
      const checked = padded.type === "token.request" ? checkAgentFrameText(JSON.stringify(padded)) : checkBrowserFrameText(JSON.stringify(padded));
      expect(checked, JSON.stringify(padded)).toMatchObject({ ok: true, value: { verbatim: false } });
    }
    expect(checkBrowserFrameText("{").ok).toBe(false);
    expect(checkAgentFrameText(JSON.stringify(okResponse)).ok).toBe(false);
  });
});
