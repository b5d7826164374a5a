/** Outcome of parsing untrusted input. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

/** Why a value was rejected, naming the path that failed (e.g. `token.expiresOn`). */
export interface ParseError {
  path: string;
  message: string;
}

export function parseFailure(path: string, message: string): { ok: false; error: ParseError } {
  return { ok: false, error: { path, message } };
}

export function describeParseError(error: ParseError): string {
  return error.path === "" ? error.message : `${error.path}: ${error.message}`;
}
