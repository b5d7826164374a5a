import type { ConsoleView, RequestRecord } from "./bridge.js";
import { statusText, type ConsoleState } from "./status.js";

export interface ConsoleElements {
  status: HTMLElement;
  requests: HTMLElement;
  configError: HTMLElement;
  terminal: HTMLElement;
}

export function findElements(doc: Document): ConsoleElements {
  return {
    status: required(doc, '[data-testid="status"]'),
    requests: required(doc, '[data-testid="requests"]'),
    configError: required(doc, '[data-testid="config-error"]'),
    terminal: required(doc, '[data-testid="terminal"]'),
  };
}

function required(doc: Document, selector: string): HTMLElement {
  const element = doc.querySelector<HTMLElement>(selector);
  if (element === null) throw new Error(`The page lacks ${selector}.`);
  return element;
}

export function renderStatus(status: HTMLElement, state: ConsoleState, ignored: number, detail?: string): void {
  status.dataset["state"] = state;
  status.dataset["ignored"] = String(ignored);
  status.textContent = detail === undefined ? statusText(state) : `${statusText(state)} (${detail})`;
}

/** Renders the view. Only text nodes: resources and error codes come from outside. */
export function renderConsole(elements: ConsoleElements, view: ConsoleView): void {
  renderStatus(elements.status, view.state, view.ignored, view.detail);
  const doc = elements.requests.ownerDocument;
  elements.requests.replaceChildren(...view.requests.map((request) => requestItem(doc, request)));
}

function requestItem(doc: Document, request: RequestRecord): HTMLLIElement {
  const li = doc.createElement("li");
  li.dataset["id"] = request.id;
  li.dataset["outcome"] = request.outcome;
  const time = doc.createElement("time");
  time.dateTime = new Date(request.startedAt).toISOString();
  time.textContent = new Date(request.startedAt).toLocaleTimeString();
  li.append(
    time,
    " ",
    span(doc, "resource", request.resource),
    " → ",
    span(doc, "outcome", request.outcome),
    ...(request.durationMs === undefined ? [] : [" ", span(doc, "duration", `${request.durationMs} ms`)]),
  );
  return li;
}

function span(doc: Document, className: string, text: string): HTMLSpanElement {
  const element = doc.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}
