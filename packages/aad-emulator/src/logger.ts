import { pino, type Logger } from "pino";

/** Anything that could hold a credential, wherever it appears in a log line. */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  "password",
  "access_token",
  "refresh_token",
  "id_token",
  "code_verifier",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.code_verifier",
  "req.headers.authorization",
  "req.headers.cookie",
  "res.headers.location",
  'res.headers["set-cookie"]',
];

/** The emulator's logger: a redacting child of the caller's, or silent. */
export function emulatorLogger(parent?: Logger): Logger {
  const base = parent ?? pino({ level: "silent" });
  return base.child({ component: "aad-emulator" }, { redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
}
