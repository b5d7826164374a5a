import { describe, expect, it } from "vitest";
import { cloudShellEnv, parseExports } from "../src/shell-env.js";

describe("the shell environment from the endpoint's env command", () => {
  it("is what `authbridge-endpoint env` prints for the session's port", async () => {
    expect(await cloudShellEnv("http://127.0.0.1:41234")).toEqual({
      MSI_ENDPOINT: "http://localhost:41234/oauth2/token",
      ACC_CLOUD: "authbridge",
      AZUREPS_HOST_ENVIRONMENT: "cloud-shell/1.0",
    });
  });

  it("adds IDENTITY_ENDPOINT and IDENTITY_HEADER for an App Service secret", async () => {
    const env = await cloudShellEnv("http://127.0.0.1:41234", { appServiceSecret: "0123456789abcdef-secret" });
    expect(env.IDENTITY_ENDPOINT).toBe("http://localhost:41234/msi/token");
    expect(env.IDENTITY_HEADER).toBe("0123456789abcdef-secret");
  });

  it("refuses output that is not export lines", () => {
    expect(parseExports("export A=1\nexport B=x=y\n")).toEqual({ A: "1", B: "x=y" });
    expect(() => parseExports("export A=1\nrm -rf /\n")).toThrow(/unexpected line/);
  });
});
