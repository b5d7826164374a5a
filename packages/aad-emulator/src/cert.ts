import { mkdir, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsCertificate {
  certPem: string;
  keyPem: string;
  certPath: string;
}

type AltName = { type: 2; value: string } | { type: 7; ip: string };

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const WILDCARD_BINDS = ["0.0.0.0", "::", ""];

/** Subject alternative names: the loopback names plus the bind host when it is a concrete name. */
export function altNamesFor(extraHosts: readonly string[] = []): AltName[] {
  const hosts = [...LOOPBACK_NAMES];
  for (const host of extraHosts) {
    if (!WILDCARD_BINDS.includes(host) && !hosts.includes(host)) hosts.push(host);
  }
  return hosts.map((host) => (isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host }));
}

/**
 * Generates a fresh self-signed server certificate (RSA 2048, SHA-256, one
 * year) and writes it to `<certDir>/cert.pem` for clients to trust
 * (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, `ca:`). The key stays in memory.
 */
export async function createTlsCertificate(certDir: string, extraHosts: readonly string[] = []): Promise<TlsCertificate> {
  const now = new Date();
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + 365 * 24 * 3600_000);
  const pems = await generate([{ name: "commonName", value: "localhost" }, { name: "organizationName", value: "authbridge aad-emulator" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: altNamesFor(extraHosts) },
    ],
  });
  await mkdir(certDir, { recursive: true });
  const certPath = join(certDir, "cert.pem");
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return { certPem: pems.cert, keyPem: pems.private, certPath };
}
