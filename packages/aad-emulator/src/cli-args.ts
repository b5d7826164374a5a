import { parseArgs } from "node:util";
import type { RegisteredClient } from "./clients.js";

export const USAGE = `Usage: aad-emulator [options]

Starts a local Entra ID v2 authority (https, self-signed) with a mock Azure Resource Manager.

Options:
  --port N              port to listen on (default: a free port)
  --host H              address to bind (default: 127.0.0.1)
  --cert-dir D          directory for cert.pem (default: a fresh temp directory)
  --token-lifetime S    access token lifetime in seconds (default: 3600)
  --client ID=URI[,URI] register a client id with its redirect URIs (repeatable)
  --help                print this help
`;

export interface CliOptions {
  port?: number;
  host?: string;
  certDir?: string;
  tokenLifetimeSec?: number;
  clients: RegisteredClient[];
}

export type CliParse = { kind: "help" } | { kind: "run"; options: CliOptions } | { kind: "error"; message: string };

function integer(name: string, text: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(text)) return `${name} must be a whole number, got "${text}"`;
  const value = Number(text);
  return value >= min && value <= max ? value : `${name} must be between ${min} and ${max}, got ${value}`;
}

function client(text: string): RegisteredClient | string {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1) return `--client must look like <clientId>=<redirectUri>[,<redirectUri>], got "${text}"`;
  return { clientId: text.slice(0, eq), redirectUris: text.slice(eq + 1).split(",") };
}

/** Parses the command line; never throws, never exits. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "cert-dir": { type: "string" },
        "token-lifetime": { type: "string" },
        client: { type: "string", multiple: true },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const { values } = parsed;
  if (values.help === true) return { kind: "help" };
  const options: CliOptions = { clients: [] };
  if (values.port !== undefined) {
    const port = integer("--port", values.port, 0, 65535);
    if (typeof port === "string") return { kind: "error", message: port };
    options.port = port;
  }
  if (values["token-lifetime"] !== undefined) {
    const lifetime = integer("--token-lifetime", values["token-lifetime"], 1, 86_400);
    if (typeof lifetime === "string") return { kind: "error", message: lifetime };
    options.tokenLifetimeSec = lifetime;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values["cert-dir"] !== undefined) options.certDir = values["cert-dir"];
  for (const text of values.client ?? []) {
    const parsedClient = client(text);
    if (typeof parsedClient === "string") return { kind: "error", message: parsedClient };
    options.clients.push(parsedClient);
  }
  return { kind: "run", options };
}
