import { request, type IncomingHttpHeaders } from "node:http";

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw body text, to assert exact wire output. */
  text: string;
}

export interface HttpRequestOptions {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Send the body in these pieces (chunked encoding, no Content-Length). */
  chunks?: readonly Buffer[];
  /** Override the Host header; `null` sends none. */
  host?: string | null;
}

/**
 * A raw `node:http` request (fetch cannot set Host or omit headers). Resolves
 * with the reply even if the server closes the connection while we still write.
 */
export function httpRequest(port: number, options: HttpRequestOptions): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...options.headers };
    if (options.host !== undefined && options.host !== null) headers.host = options.host;
    const req = request({
      host: "127.0.0.1",
      port,
      method: options.method ?? "GET",
      path: options.path,
      headers,
      setHost: options.host !== null,
      agent: false,
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (options.chunks !== undefined) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** The Cloud Shell request as curl sends it, body not percent-encoded. */
export function tokenPost(port: number, body: string, headers: Record<string, string> = { metadata: "true" }): Promise<HttpReply> {
  return httpRequest(port, {
    method: "POST",
    path: "/oauth2/token",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}
