import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
};

export interface StaticAppServerOptions {
  /** The app's `vite build` output. */
  distDir: string;
  /** Hostname in the app's URL (the origin the browser sees); the server binds 127.0.0.1. */
  hostname: "localhost" | "127.0.0.1";
  port?: number;
  /** Served as `/config.json`; read on every request so it can be filled in after start. */
  config: () => unknown;
  /** `Content-Security-Policy: frame-ancestors …` value: who may embed this app. */
  frameAncestors: string;
}

export interface StaticAppServer {
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a built browser app plus its runtime `/config.json`. Tiny on
 * purpose: the apps are static; what matters are the headers (who may frame
 * the app, no sniffing, no referrer leaking) and never escaping `distDir`.
 */
export async function startStaticAppServer(options: StaticAppServerOptions): Promise<StaticAppServer> {
  const root = normalize(options.distDir);
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Content-Security-Policy", `frame-ancestors ${options.frameAncestors}`);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/config.json") {
      res.writeHead(200, { "Content-Type": CONTENT_TYPES[".json"], "Cache-Control": "no-store" });
      res.end(JSON.stringify(options.config()));
      return;
    }
    const file = normalize(join(root, path === "/" ? "index.html" : decodeURIComponent(path)));
    if (!file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": info.size,
      "Cache-Control": "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  }

  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.hostname}:${port}`;
  return {
    url: `${origin}/`,
    origin,
    port,
    close: () => closeServer(server),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
