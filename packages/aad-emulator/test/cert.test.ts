import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTlsCertificate, type TlsCertificate } from "../src/cert.js";

describe("the TLS certificate", () => {
  let dir: string;
  let tls: TlsCertificate;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aad-emulator-cert-test-"));
    tls = await createTlsCertificate(dir, ["emulator.internal", "0.0.0.0"]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is written to cert.pem in the cert directory", async () => {
    expect(tls.certPath).toBe(join(dir, "cert.pem"));
    expect(await readFile(tls.certPath, "utf8")).toBe(tls.certPem);
  });

  it("names localhost, 127.0.0.1, ::1 and a concrete bind host, but not a wildcard bind", () => {
    const cert = new X509Certificate(tls.certPem);
    const san = cert.subjectAltName ?? "";
    expect(san).toContain("DNS:localhost");
    expect(san).toContain("IP Address:127.0.0.1");
    expect(san).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/);
    expect(san).toContain("DNS:emulator.internal");
    expect(san).not.toContain("0.0.0.0");
  });

  it("is self-signed, a server certificate, and not a CA", () => {
    const cert = new X509Certificate(tls.certPem);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkHost("localhost")).toBe("localhost");
  });
});
