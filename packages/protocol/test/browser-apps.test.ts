import { describe, expect, it } from "vitest";
import { isWebOrigin } from "../src/index.js";

// guardMessage and loadAppConfig are tested through the apps' own wrappers
// (packages/console and packages/portal: message-guard, its fuzz run, config).
describe("isWebOrigin", () => {
  it.each(["http://localhost:5173", "https://portal.example", "http://127.0.0.1:8080", "http://[::1]:3000"])("accepts the exact origin %s", (origin) => {
    expect(isWebOrigin(origin)).toBe(true);
  });

  it.each([
    "http://localhost:5173/",
    "https://portal.example/path",
    "https://portal.example?x=1",
    "https://user@portal.example",
    "https://PORTAL.example",
    "https://portal.example:443",
    "ftp://portal.example",
    "*",
    "null",
    "",
  ])("refuses %j, which is not a canonical http(s) origin", (value) => {
    expect(isWebOrigin(value)).toBe(false);
  });
});
