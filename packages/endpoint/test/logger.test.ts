import { describe, expect, it } from "vitest";
import { captureLogs } from "./helpers/log-capture.js";

describe("logger", () => {
  it("writes JSON lines and redacts anything shaped like a token", () => {
    const logs = captureLogs("info");
    logs.logger.info(
      {
        resource: "https://management.azure.com/",
        agentToken: "agent-secret",
        token: { accessToken: "access-secret" },
        access_token: "raw-secret",
        frame: { token: "nested-secret" },
        req: { headers: { authorization: "Bearer header-secret" } },
      },
      "token served",
    );
    const text = logs.text();
    for (const secret of ["agent-secret", "access-secret", "raw-secret", "nested-secret", "header-secret"]) expect(text).not.toContain(secret);
    const record: unknown = JSON.parse(logs.lines[0] ?? "");
    expect(record).toMatchObject({ level: 30, msg: "token served", resource: "https://management.azure.com/", agentToken: "[redacted]" });
  });

  it("redacts refresh and id tokens and tickets too, at the top level and one level down", () => {
    const logs = captureLogs("info");
    logs.logger.info({ refresh_token: "rt-secret", id_token: "id-secret", ticket: "ticket-secret", body: { refresh_token: "rt2-secret", id_token: "id2-secret", ticket: "t2-secret" } }, "x");
    for (const secret of ["rt-secret", "id-secret", "ticket-secret", "rt2-secret", "id2-secret", "t2-secret"]) expect(logs.text()).not.toContain(secret);
  });
});
