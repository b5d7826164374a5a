import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { describeParseError, parseWith } from "@authbridge/protocol";
import { z } from "zod";
import type { RelayUser } from "../auth/user.js";

/** A file of any other version is not read (the relay starts empty and replaces it). */
export const STATE_FILE_VERSION = 1;

/**
 * What the next relay needs to take a session back after a restart: who owns
 * it and the digest its agent's token must match. Never the agent token
 * itself, never tickets (the portal mints fresh ones).
 */
export interface SessionRecord {
  id: string;
  owner: RelayUser;
  /** sha256 of the agent token. */
  agentTokenDigest: Buffer;
  endpointUrl?: string;
  /** Epoch ms. */
  createdAt: number;
}

const recordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a base64url session id"),
  // The fields `sameUser` compares, with the bounds the user verifier accepts.
  owner: z.object({ tid: z.string().min(1).max(128), oid: z.string().min(1).max(128) }),
  agentTokenDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url sha256 digest"),
  endpointUrl: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/\S+$/, "must be an http(s) URL")
    .optional(),
  createdAt: z.iso.datetime(),
});

const stateFileSchema = z.object({
  version: z.literal(STATE_FILE_VERSION, { error: `must be ${STATE_FILE_VERSION}` }),
  sessions: z.array(recordSchema).refine((sessions) => new Set(sessions.map((session) => session.id)).size === sessions.length, "session ids must be unique"),
});

type RecordJson = z.infer<typeof recordSchema>;

export type StateFileRead = { ok: true; sessions: SessionRecord[] } | { ok: false; reason: string };

/** Reads the sessions a previous relay left; a missing file holds none. Never throws. */
export function readSessionStateFile(path: string): StateFileRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return { ok: true, sessions: [] };
    return { ok: false, reason: `it cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's text; the reason does not need it.
    return { ok: false, reason: "it is not valid JSON" };
  }
  const parsed = parseWith(stateFileSchema, data);
  if (!parsed.ok) return { ok: false, reason: `it does not hold version ${STATE_FILE_VERSION} sessions (${describeParseError(parsed.error)})` };
  return { ok: true, sessions: parsed.value.sessions.map(fromJson) };
}

/**
 * Replaces the file with `sessions`, atomically: the text goes to
 * `<path>.tmp` (mode 0600) and is renamed over `path`, so a relay killed
 * mid-write leaves the previous file whole.
 */
export function writeSessionStateFile(path: string, sessions: readonly SessionRecord[]): void {
  const text = `${JSON.stringify({ version: STATE_FILE_VERSION, sessions: sessions.map(toJson) }, null, 2)}\n`;
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    // The mode passed to open applies only to a new file, not to a stale one left by a crash.
    fchmodSync(fd, 0o600);
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function toJson(record: SessionRecord): RecordJson {
  return {
    id: record.id,
    owner: { tid: record.owner.tid, oid: record.owner.oid },
    agentTokenDigest: record.agentTokenDigest.toString("base64url"),
    ...(record.endpointUrl === undefined ? {} : { endpointUrl: record.endpointUrl }),
    createdAt: new Date(record.createdAt).toISOString(),
  };
}

function fromJson(json: RecordJson): SessionRecord {
  const record: SessionRecord = {
    id: json.id,
    owner: { tid: json.owner.tid, oid: json.owner.oid },
    agentTokenDigest: Buffer.from(json.agentTokenDigest, "base64url"),
    createdAt: Date.parse(json.createdAt),
  };
  if (json.endpointUrl !== undefined) record.endpointUrl = json.endpointUrl;
  return record;
}
