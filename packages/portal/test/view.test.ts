// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import indexHtml from "../index.html?raw";
import redirectHtml from "../redirect.html?raw";
import { appendActivity, findElements, MAX_ACTIVITY_ITEMS, renderAccount, renderConsoleFrame, renderPrompts, renderSession } from "../src/view.js";

function page() {
  return findElements(new DOMParser().parseFromString(indexHtml, "text/html"));
}

describe("portal page", () => {
  it("has every element the app and the e2e tests rely on", () => {
    const el = page();
    expect(el.sessionState.dataset["state"]).toBe("none");
    expect(el.sessionState.dataset["ignored"]).toBe("0");
    expect(el.signIn.textContent).toBe("Sign in");
    expect(el.signOut.textContent).toBe("Sign out");
    expect(el.approve.textContent).toBe("Approve");
    expect(el.prompt.hidden).toBe(true);
    expect(el.activity.tagName).toBe("UL");
  });

  it("redirect.html loads the redirect bridge script", () => {
    expect(redirectHtml).toContain('src="/src/redirect.ts"');
  });

  it("shows either Sign in or the user and Sign out", () => {
    const el = page();
    renderAccount(el, null);
    expect([el.signIn.hidden, el.signOut.hidden, el.user.textContent]).toEqual([false, true, ""]);
    renderAccount(el, "alice@contoso.example");
    expect([el.signIn.hidden, el.signOut.hidden, el.user.textContent]).toEqual([true, false, "alice@contoso.example"]);
  });

  it("renders a ready session with its endpoint and the curl hint", () => {
    const el = page();
    renderSession(el, { state: "ready", sessionId: "s1", consoleUrl: "http://127.0.0.1:5174/", endpointUrl: "http://127.0.0.1:50342" }, true, 2);
    expect(el.sessionState.dataset["state"]).toBe("ready");
    expect(el.sessionState.dataset["ignored"]).toBe("2");
    expect(el.sessionState.dataset["sessionId"]).toBe("s1");
    expect(el.endpoint.hidden).toBe(false);
    expect(el.endpointUrl.textContent).toBe("http://127.0.0.1:50342");
    expect(el.endpointUrl.dataset["url"]).toBe("http://127.0.0.1:50342");
    expect(el.endpointHint.textContent).toBe(
      "curl http://127.0.0.1:50342/oauth2/token --data resource=https://management.azure.com/ -H Metadata:true",
    );
    expect(el.endSession.hidden).toBe(false);
    expect(el.startSession.hidden).toBe(true);
  });

  it("renders an error and offers a new session after the end", () => {
    const el = page();
    renderSession(el, { state: "error", error: "TooManySessions: Limit reached." }, true, 0);
    expect(el.sessionState.textContent).toBe("Session error: TooManySessions: Limit reached.");
    expect(el.endpoint.hidden).toBe(true);
    expect(el.endpointUrl.dataset["url"]).toBeUndefined();
    renderSession(el, { state: "ended", sessionId: "s1" }, true, 0);
    expect(el.sessionState.textContent).toBe("The session has ended.");
    expect(el.endSession.hidden).toBe(true);
    expect(el.startSession.hidden).toBe(false);
  });

  it("keeps one console iframe per console URL", () => {
    // A detached host: happy-dom would otherwise try (and refuse, noisily) to load the page.
    const el = { consoleHost: page().consoleHost.ownerDocument.createElement("div") };
    const first = renderConsoleFrame(el.consoleHost, "http://127.0.0.1:5174/", null);
    expect(first?.id).toBe("console");
    expect(first?.title).toBe("authbridge console");
    expect(first?.getAttribute("src")).toBe("http://127.0.0.1:5174/");
    expect(renderConsoleFrame(el.consoleHost, "http://127.0.0.1:5174/", first)).toBe(first);
    const second = renderConsoleFrame(el.consoleHost, "http://127.0.0.1:5174/?s=2", first);
    expect(second).not.toBe(first);
    expect(el.consoleHost.querySelectorAll("iframe")).toHaveLength(1);
    expect(renderConsoleFrame(el.consoleHost, undefined, second)).toBeNull();
    expect(el.consoleHost.querySelectorAll("iframe")).toHaveLength(0);
  });

  it("shows the interaction prompt naming the resource", () => {
    const el = page();
    renderPrompts(el, [{ resource: "https://management.azure.com/", waiting: 1, busy: true }]);
    expect(el.prompt.hidden).toBe(false);
    expect(el.prompt.textContent).toContain("https://management.azure.com/");
    expect(el.approve.disabled).toBe(true);
    renderPrompts(el, []);
    expect(el.prompt.hidden).toBe(true);
  });

  it("lists answered requests oldest first with their outcome, keeping the last 100", () => {
    const el = page();
    appendActivity(el.activity, { id: "a", resource: "https://management.azure.com/", outcome: "ok", durationMs: 12, at: 0 });
    appendActivity(el.activity, { id: "b", resource: "https://vault.azure.net", outcome: "PolicyRefused", durationMs: 1, at: 0 });
    const rows = [...el.activity.querySelectorAll("li")];
    expect(rows.map((li) => li.dataset["outcome"])).toEqual(["ok", "PolicyRefused"]);
    expect(rows[0]?.textContent).toContain("https://management.azure.com/");
    expect(rows[0]?.textContent).toContain("12 ms");
    for (let i = 0; i < MAX_ACTIVITY_ITEMS + 5; i += 1) {
      appendActivity(el.activity, { id: `r${i}`, resource: "r", outcome: "ok", durationMs: 0, at: 0 });
    }
    expect(el.activity.children).toHaveLength(MAX_ACTIVITY_ITEMS);
    expect(el.activity.firstElementChild?.getAttribute("data-id")).toBe("r5");
  });
});
