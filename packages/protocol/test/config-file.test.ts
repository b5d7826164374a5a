import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfigFile } from "../src/index.js";

describe("parseConfigFile", () => {
  it("reads KEY=value lines, export prefixes, quotes, blank and comment lines", () => {
    const text = ["# settings", "", "AUTHBRIDGE_A=1", "export AUTHBRIDGE_B = 'two words'", '  AUTHBRIDGE_C="x=y # not a comment"  ', "AUTHBRIDGE_D=", "\r"].join("\r\n");
    expect(parseConfigFile(text)).toEqual({ ok: true, value: { AUTHBRIDGE_A: "1", AUTHBRIDGE_B: "two words", AUTHBRIDGE_C: "x=y # not a comment", AUTHBRIDGE_D: "" } });
  });

  it.each([
    ["AUTHBRIDGE_A=1\njust words", "line 2", "is not KEY=value"],
    ["PATH=/usr/bin", "line 1", "PATH is not an AUTHBRIDGE_ variable"],
    ["AUTHBRIDGE_CONFIG_FILE=/other", "line 1", "AUTHBRIDGE_CONFIG_FILE cannot be set from a configuration file"],
    ["AUTHBRIDGE_A=1\nAUTHBRIDGE_A=2", "line 2", "AUTHBRIDGE_A is set twice"],
    ["AUTHBRIDGE_SECRET='s3cret", "line 1", "AUTHBRIDGE_SECRET's value has an unmatched quote"],
    ['AUTHBRIDGE_A="', "line 1", "AUTHBRIDGE_A's value has an unmatched quote"],
  ])("refuses %j at %s, never quoting the value", (text, path, message) => {
    const parsed = parseConfigFile(text);
    expect(parsed).toEqual({ ok: false, error: { path, message } });
    expect(JSON.stringify(parsed)).not.toContain("s3cret");
  });
});

describe("loadConfigFile", () => {
  const files: Record<string, string> = { "/etc/relay.env": "AUTHBRIDGE_A=file\nAUTHBRIDGE_B=file\nAUTHBRIDGE_C=file\n", "/etc/bad.env": "nonsense" };
  const readFile = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
    return text;
  };

  it("without AUTHBRIDGE_CONFIG_FILE returns the environment as it is", () => {
    expect(loadConfigFile({ AUTHBRIDGE_A: "env" }, readFile)).toEqual({ ok: true, config: { env: { AUTHBRIDGE_A: "env" }, fromFile: new Set() } });
  });

  it("merges the file under the environment (an empty variable counts as unset) and says which keys came from the file", () => {
    const loaded = loadConfigFile({ AUTHBRIDGE_CONFIG_FILE: "/etc/relay.env", AUTHBRIDGE_A: "env", AUTHBRIDGE_B: "" }, readFile);
    expect(loaded).toEqual({
      ok: true,
      config: {
        env: { AUTHBRIDGE_CONFIG_FILE: "/etc/relay.env", AUTHBRIDGE_A: "env", AUTHBRIDGE_B: "file", AUTHBRIDGE_C: "file" },
        file: "/etc/relay.env",
        fromFile: new Set(["AUTHBRIDGE_B", "AUTHBRIDGE_C"]),
      },
    });
  });

  it("names the variable, the file and the reason when the file is missing or malformed", () => {
    expect(loadConfigFile({ AUTHBRIDGE_CONFIG_FILE: "/nope.env" }, readFile)).toEqual({ ok: false, message: "AUTHBRIDGE_CONFIG_FILE: cannot read /nope.env (ENOENT)" });
    expect(loadConfigFile({ AUTHBRIDGE_CONFIG_FILE: "/etc/bad.env" }, readFile)).toEqual({ ok: false, message: "AUTHBRIDGE_CONFIG_FILE: /etc/bad.env line 1: is not KEY=value" });
  });
});
