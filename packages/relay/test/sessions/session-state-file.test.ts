import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestSecret } from "../../src/auth/secret.js";
import { readSessionStateFile, writeSessionStateFile, type SessionRecord } from "../../src/sessions/session-state-file.js";
import { matching } from "../helpers/matchers.js";

const RECORD: SessionRecord = {
  id: "c2Vzc2lvbi1pZC0xMjM0NQ",
  owner: { tid: "tenant-a", oid: "user-a" },
  agentTokenDigest: digestSecret("the-agent-token"),
  endpointUrl: "http://127.0.0.1:50342",
  createdAt: Date.parse("2026-11-26T16:00:00.000Z"),
};
const RECORD_JSON = {
  id: RECORD.id,
  owner: { tid: "tenant-a", oid: "user-a" },
  agentTokenDigest: digestSecret("the-agent-token").toString("base64url"),
  endpointUrl: "http://127.0.0.1:50342",
  createdAt: "2026-11-26T16:00:00.000Z",
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "relay-state-"));
  file = join(dir, "sessions.json");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("session state file", () => {
  it("is written as version 1 JSON with mode 0600 and no temporary file left, and reads back the same sessions", () => {
    const { endpointUrl: _endpointUrl, ...withoutEndpoint } = RECORD;
    const second: SessionRecord = { ...withoutEndpoint, id: "second-session" };
    writeSessionStateFile(file, [RECORD, second]);
    const { endpointUrl: _url, ...secondJson } = { ...RECORD_JSON, id: "second-session" };
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 1, sessions: [RECORD_JSON, secondJson] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["sessions.json"]);
    expect(readSessionStateFile(file)).toEqual({ ok: true, sessions: [RECORD, second] });
  });

  it("is 0600 even when a temporary file with a wider mode was left by a crash", () => {
    writeFileSync(`${file}.tmp`, "half a write", { mode: 0o644 });
    writeSessionStateFile(file, [RECORD]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("reads a missing file as no sessions", () => {
    expect(readSessionStateFile(file)).toEqual({ ok: true, sessions: [] });
  });

  it.each([
    ["not JSON", '{"version":1,', "it is not valid JSON"],
    ["another version", JSON.stringify({ version: 2, sessions: [] }), "it does not hold version 1 sessions (version: must be 1)"],
    ["a session without an owner oid", JSON.stringify({ version: 1, sessions: [{ ...RECORD_JSON, owner: { tid: "tenant-a" } }] }), "(sessions.0.owner.oid: "],
    ["a digest that is not sha256", JSON.stringify({ version: 1, sessions: [{ ...RECORD_JSON, agentTokenDigest: "c2hvcnQ" }] }), "(sessions.0.agentTokenDigest: must be a base64url sha256 digest)"],
    ["a date that is not ISO", JSON.stringify({ version: 1, sessions: [{ ...RECORD_JSON, createdAt: "yesterday" }] }), "(sessions.0.createdAt: "],
    ["the same id twice", JSON.stringify({ version: 1, sessions: [RECORD_JSON, RECORD_JSON] }), "(sessions: session ids must be unique)"],
  ])("refuses %s, saying why", (_label, text, reason) => {
    writeFileSync(file, text);
    const read = readSessionStateFile(file);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toContain(reason);
  });

  it("reports a path it cannot read instead of throwing", () => {
    mkdirSync(file);
    expect(readSessionStateFile(file)).toEqual({ ok: false, reason: matching(/^it cannot be read \(EISDIR/) });
  });
});
