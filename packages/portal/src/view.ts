import type { SessionView } from "./session.js";
import type { ActivityEntry, InteractionPromptView } from "./token-responder.js";

export const MAX_ACTIVITY_ITEMS = 100;

export interface PortalElements {
  user: HTMLElement;
  signIn: HTMLButtonElement;
  signOut: HTMLButtonElement;
  configError: HTMLElement;
  authError: HTMLElement;
  sessionState: HTMLElement;
  endpoint: HTMLElement;
  endpointUrl: HTMLElement;
  endpointHint: HTMLElement;
  endSession: HTMLButtonElement;
  startSession: HTMLButtonElement;
  prompt: HTMLElement;
  promptText: HTMLElement;
  promptError: HTMLElement;
  approve: HTMLButtonElement;
  consoleHost: HTMLElement;
  activity: HTMLElement;
}

export function findElements(doc: Document): PortalElements {
  return {
    user: element(doc, '[data-testid="user"]'),
    signIn: button(doc, "#sign-in"),
    signOut: button(doc, "#sign-out"),
    configError: element(doc, '[data-testid="config-error"]'),
    authError: element(doc, '[data-testid="auth-error"]'),
    sessionState: element(doc, '[data-testid="session-state"]'),
    endpoint: element(doc, '[data-testid="endpoint"]'),
    endpointUrl: element(doc, '[data-testid="endpoint-url"]'),
    endpointHint: element(doc, '[data-testid="endpoint-hint"]'),
    endSession: button(doc, "#end-session"),
    startSession: button(doc, "#start-session"),
    prompt: element(doc, '[data-testid="interaction-prompt"]'),
    promptText: element(doc, "#prompt-text"),
    promptError: element(doc, '[data-testid="interaction-error"]'),
    approve: button(doc, "#approve"),
    consoleHost: element(doc, "#console-host"),
    activity: element(doc, '[data-testid="activity"]'),
  };
}

function element(doc: Document, selector: string): HTMLElement {
  const found = doc.querySelector<HTMLElement>(selector);
  if (found === null) throw new Error(`The page lacks ${selector}.`);
  return found;
}
function button(doc: Document, selector: string): HTMLButtonElement {
  const found = doc.querySelector(selector);
  if (!(found instanceof HTMLButtonElement)) throw new Error(`The page lacks the button ${selector}.`);
  return found;
}

export function showError(target: HTMLElement, message: string | undefined): void {
  target.textContent = message ?? "";
  target.hidden = message === undefined;
}

export function renderAccount(el: PortalElements, username: string | null): void {
  el.user.textContent = username ?? "";
  el.signIn.hidden = username !== null;
  el.signOut.hidden = username === null;
}

export function sessionText(view: SessionView, signedIn: boolean): string {
  switch (view.state) {
    case "none":
      return signedIn ? "No session." : "Sign in to open a console.";
    case "starting":
      return "Starting a session…";
    case "ready":
      return "Session ready.";
    case "ended":
      return "The session has ended.";
    case "error":
      return `Session error: ${view.error ?? "unknown error"}`;
  }
}

/** The curl line the Cloud Shell docs show, pointed at this session's endpoint. */
export function curlHint(endpointUrl: string): string {
  return `curl ${endpointUrl.replace(/\/+$/, "")}/oauth2/token --data resource=https://management.azure.com/ -H Metadata:true`;
}

export function renderSession(el: PortalElements, view: SessionView, signedIn: boolean, ignored: number): void {
  el.sessionState.dataset["state"] = view.state;
  el.sessionState.dataset["ignored"] = String(ignored);
  if (view.sessionId === undefined) delete el.sessionState.dataset["sessionId"];
  else el.sessionState.dataset["sessionId"] = view.sessionId;
  el.sessionState.textContent = sessionText(view, signedIn);

  const endpointUrl = view.state === "ready" ? view.endpointUrl : undefined;
  el.endpoint.hidden = endpointUrl === undefined;
  el.endpointUrl.textContent = endpointUrl ?? "";
  if (endpointUrl === undefined) delete el.endpointUrl.dataset["url"];
  else el.endpointUrl.dataset["url"] = endpointUrl;
  el.endpointHint.textContent = endpointUrl === undefined ? "" : curlHint(endpointUrl);

  el.endSession.hidden = !(view.sessionId !== undefined && (view.state === "ready" || view.state === "error"));
  el.startSession.hidden = !(signedIn && (view.state === "none" || view.state === "ended" || view.state === "error"));
}

/**
 * Keeps exactly one console iframe for the session's console URL; replaces
 * it when the URL changes and removes it when there is none.
 */
export function renderConsoleFrame(host: HTMLElement, consoleUrl: string | undefined, current: HTMLIFrameElement | null): HTMLIFrameElement | null {
  if (consoleUrl === undefined) {
    current?.remove();
    return null;
  }
  if (current !== null && current.dataset["src"] === consoleUrl) return current;
  current?.remove();
  const frame = host.ownerDocument.createElement("iframe");
  frame.id = "console";
  frame.title = "authbridge console";
  frame.referrerPolicy = "no-referrer";
  // The console's terminal copies its selection with the Clipboard API (Ctrl+Shift+C); a cross-origin frame needs this.
  frame.allow = "clipboard-write";
  frame.dataset["src"] = consoleUrl;
  frame.src = consoleUrl;
  host.append(frame);
  return frame;
}

export function renderPrompts(el: PortalElements, prompts: readonly InteractionPromptView[]): void {
  const first = prompts[0];
  el.prompt.hidden = first === undefined;
  if (first === undefined) {
    el.promptText.textContent = "";
    showError(el.promptError, undefined);
    return;
  }
  el.prompt.dataset["resource"] = first.resource;
  const waiting = first.waiting === 1 ? "1 request is waiting" : `${first.waiting} requests are waiting`;
  const more = prompts.length > 1 ? ` (${prompts.length - 1} more resource${prompts.length > 2 ? "s" : ""} after this one)` : "";
  el.promptText.textContent = `Azure AD needs you to sign in again before it issues a token for ${first.resource}; ${waiting}. Click Approve to continue in a popup.${more}`;
  el.approve.disabled = first.busy;
  showError(el.promptError, first.error);
}

/** Adds one answered request to the end of the activity list (oldest first). Never a token. */
export function appendActivity(list: HTMLElement, entry: ActivityEntry): void {
  const doc = list.ownerDocument;
  const li = doc.createElement("li");
  li.dataset["id"] = entry.id;
  li.dataset["outcome"] = entry.outcome;
  const time = doc.createElement("time");
  time.dateTime = new Date(entry.at).toISOString();
  time.textContent = new Date(entry.at).toLocaleTimeString();
  li.append(time, " ", span(doc, "resource", entry.resource), " → ", span(doc, "outcome", entry.outcome), " ", span(doc, "duration", `${entry.durationMs} ms`));
  list.append(li);
  while (list.children.length > MAX_ACTIVITY_ITEMS) list.firstElementChild?.remove();
}

function span(doc: Document, className: string, text: string): HTMLSpanElement {
  const element = doc.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}
