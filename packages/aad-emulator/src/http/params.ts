import type { Request } from "express";
import type { z } from "zod";

/** Request parameters after duplicate checks: one string per name. */
export type Params = Readonly<Record<string, string>>;

export type ParamsResult = { ok: true; params: Params } | { ok: false; duplicate: string };

/** Refuses a parameter given twice: security-relevant values (redirect_uri, code) must not be ambiguous. */
export function collectParams(search: URLSearchParams): ParamsResult {
  const params: Record<string, string> = {};
  for (const [name, value] of search) {
    if (Object.hasOwn(params, name)) return { ok: false, duplicate: name };
    params[name] = value;
  }
  return { ok: true, params };
}

export function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, "https://emulator.invalid").searchParams;
}

/** The url-encoded form body (read as text by `express.text`), or no parameters when there is none. */
export function formOf(req: Request): URLSearchParams {
  const body: unknown = req.body;
  return new URLSearchParams(typeof body === "string" ? body : "");
}

export interface ParamIssue {
  param: string;
  missing: boolean;
  message: string;
}

export type ParamParse<T> = { ok: true; value: T } | { ok: false; issue: ParamIssue };

/** Runs a zod schema over the parameters and names the first parameter that failed. */
export function parseParams<S extends z.ZodType>(schema: S, params: Params): ParamParse<z.output<S>> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, value: parsed.data };
  const first = parsed.error.issues[0];
  const param = first === undefined ? "" : first.path.map(String).join(".");
  return { ok: false, issue: { param, missing: !Object.hasOwn(params, param), message: first?.message ?? "invalid" } };
}

/** A named path segment as one string ("" when absent or a wildcard list). */
export function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === "string" ? value : "";
}
