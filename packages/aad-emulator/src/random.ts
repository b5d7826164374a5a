import { randomBytes, randomUUID } from "node:crypto";

/** An unguessable opaque value (codes, refresh tokens, session ids). */
export const opaqueToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

export const newGuid = (): string => randomUUID();
