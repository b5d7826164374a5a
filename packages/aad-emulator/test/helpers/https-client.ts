import { request, type RequestOptions } from "node:https";
import type { IncomingHttpHeaders } from "node:http";

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface Target {
  url: string;
  certPem: string;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** One https request that trusts only the emulator's certificate and never follows redirects. */
export function httpsRequest(target: Target, path: string, init: RequestInit = {}): Promise<HttpResponse> {
  const url = new URL(path, target.url);
  const options: RequestOptions = {
    method: init.method ?? "GET",
    headers: init.headers ?? {},
    ca: target.certPem,
    agent: false,
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export const postForm = (target: Target, path: string, fields: Record<string, string>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<HttpResponse> =>
  httpsRequest(target, path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded;charset=utf-8", ...headers },
    body: new URLSearchParams(fields).toString(),
    ...(signal === undefined ? {} : { signal }),
  });

export const postJson = (target: Target, path: string, body: unknown): Promise<HttpResponse> =>
  httpsRequest(target, path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** The JSON body as a plain object (fails the test when it is anything else). */
export function jsonObject(response: HttpResponse): Record<string, unknown> {
  const value: unknown = JSON.parse(response.text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`expected a JSON object, got ${response.text}`);
  return { ...value };
}

export function stringField(object: Record<string, unknown>, name: string): string {
  const value = object[name];
  if (typeof value !== "string") throw new Error(`expected "${name}" to be a string in ${JSON.stringify(object)}`);
  return value;
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}
