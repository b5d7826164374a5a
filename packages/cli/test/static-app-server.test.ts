import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticAppServer, type StaticAppServer } from "../src/static-app-server.js";

function get(server: StaticAppServer, path: string, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // A raw request so the path is sent exactly as written (fetch would normalise "..").
    const req = request({ host: "127.0.0.1", port: server.port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("static app server", () => {
  let server: StaticAppServer;
  let config: unknown = { portalOrigin: "http://localhost:1" };

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "authbridge-static-"));
    const dist = join(root, "dist");
    writeFileSync(join(root, "secret.txt"), "outside");
    mkdirSync(dist);
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(dist, "app.js"), "console.info(1)");
    server = await startStaticAppServer({ distDir: dist, hostname: "127.0.0.1", config: () => config, frameAncestors: "http://localhost:1" });
  });
  afterAll(() => server.close());

  it("serves index.html at / with the frame-ancestors policy and nosniff", async () => {
    const res = await get(server, "/");
    expect(res.status).toBe(200);
    expect(res.body).toContain("<title>app</title>");
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toBe("frame-ancestors http://localhost:1");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves the runtime config as it is when asked, uncached", async () => {
    config = { portalOrigin: "http://localhost:2" };
    const res = await get(server, "/config.json");
    expect(JSON.parse(res.body)).toEqual({ portalOrigin: "http://localhost:2" });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it.each(["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/nope.js"])("answers 404 for %s and never leaves dist", async (path) => {
    const res = await get(server, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain("outside");
  });

  it("refuses methods other than GET and HEAD", async () => {
    const res = await get(server, "/", "POST");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
  });
});
