import type { Request, Response } from "express";

export const SESSION_COOKIE = "aad_emulator_session";

/** The value of one cookie from the Cookie header, if present. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** SameSite=None so a cross-site popup or redirect still carries it (https only). */
export function setSessionCookie(res: Response, sid: string): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; Secure; SameSite=None`);
}

export function clearSessionCookie(res: Response): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=None; Max-Age=0`);
}
