import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli-args.js";
import { containing } from "./helpers/matchers.js";

describe("the command line", () => {
  it("reads port, host, cert dir, token lifetime and clients", () => {
    expect(
      parseCliArgs([
        "--port",
        "8443",
        "--host",
        "0.0.0.0",
        "--cert-dir",
        "/tmp/certs",
        "--token-lifetime",
        "120",
        "--client",
        "app=http://localhost:5173/redirect.html,http://localhost:5173/",
      ]),
    ).toEqual({
      kind: "run",
      options: {
        port: 8443,
        host: "0.0.0.0",
        certDir: "/tmp/certs",
        tokenLifetimeSec: 120,
        clients: [{ clientId: "app", redirectUris: ["http://localhost:5173/redirect.html", "http://localhost:5173/"] }],
      },
    });
  });

  it("runs with defaults when given nothing", () => {
    expect(parseCliArgs([])).toEqual({ kind: "run", options: { clients: [] } });
  });

  it("asks for help with --help", () => {
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help" });
  });

  it("refuses a port that is not a number", () => {
    expect(parseCliArgs(["--port", "http"])).toMatchObject({ kind: "error", message: containing("--port") });
  });

  it("refuses an unknown option", () => {
    expect(parseCliArgs(["--pot", "1"])).toMatchObject({ kind: "error" });
  });

  it("refuses a client without redirect URIs", () => {
    expect(parseCliArgs(["--client", "app"])).toMatchObject({ kind: "error", message: containing("--client") });
  });
});
