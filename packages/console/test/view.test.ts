// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import indexHtml from "../index.html?raw";
import { findElements, renderConsole, renderStatus } from "../src/view.js";

function page() {
  return findElements(new DOMParser().parseFromString(indexHtml, "text/html"));
}

describe("console page", () => {
  it("has every element the app and the e2e tests rely on, starting in waiting", () => {
    const el = page();
    expect(el.status.dataset["state"]).toBe("waiting");
    expect(el.status.dataset["ignored"]).toBe("0");
    expect(el.requests.tagName).toBe("UL");
    expect(el.configError.hidden).toBe(true);
  });

  it("renders state, ignored count and one row per request", () => {
    const el = page();
    renderConsole(el, {
      state: "ready",
      ignored: 3,
      requests: [
        { id: "a", resource: "https://management.azure.com/", startedAt: 0, outcome: "ok", durationMs: 42 },
        { id: "b", resource: "https://graph.microsoft.com/", startedAt: 0, outcome: "pending" },
      ],
    });
    expect(el.status.dataset["state"]).toBe("ready");
    expect(el.status.dataset["ignored"]).toBe("3");
    expect(el.status.textContent).toBe("Connected. The container is attached.");
    const rows = [...el.requests.querySelectorAll("li")];
    expect(rows.map((li) => li.dataset["outcome"])).toEqual(["ok", "pending"]);
    expect(rows[0]?.querySelector(".resource")?.textContent).toBe("https://management.azure.com/");
    expect(rows[0]?.querySelector(".duration")?.textContent).toBe("42 ms");
    expect(rows[0]?.querySelector("time")).not.toBeNull();
    expect(rows[1]?.querySelector(".duration")).toBeNull();
  });

  it("says the session has ended", () => {
    const el = page();
    renderStatus(el.status, "ended", 0);
    expect(el.status.textContent).toBe("The session has ended.");
  });

  it("renders a hostile resource as text", () => {
    const el = page();
    renderConsole(el, { state: "ready", ignored: 0, requests: [{ id: "x", resource: "<img/src=x/onerror=alert(1)>", startedAt: 0, outcome: "ok" }] });
    expect(el.requests.querySelector("img")).toBeNull();
    expect(el.requests.textContent).toContain("<img/src=x/onerror=alert(1)>");
  });
});
