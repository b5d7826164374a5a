import {
  createAllowlist,
  parsePortalToConsoleMessage,
  POST_MESSAGE_CHANNEL,
  PROTOCOL_VERSION,
  describeParseError,
  type TokenRequestMessage,
  type TokenResponseMessage,
  type Token,
  type WireError,
} from "@authbridge/protocol";
import { scopeForResource, toWireToken, type AcquiredToken } from "./wire-token.js";

/** How long before a request's deadline a waiting interaction gives up and answers InteractionRequired. */
export const INTERACTION_DEADLINE_MARGIN_MS = 1_000;

/** Answered ids remembered to refuse a second answer (oldest forgotten first). */
const MAX_REMEMBERED_ANSWERS = 1_000;

/** How an acquire failure is answered: by asking the user, or with a wire error. */
export type AcquireFailure = { kind: "interaction" } | { kind: "error"; code: string; message: string };

/** One answered request, for the activity list. Never holds a token. */
export interface ActivityEntry {
  readonly id: string;
  readonly resource: string;
  /** `ok` or the error code. */
  readonly outcome: string;
  readonly durationMs: number;
  readonly at: number;
}

/** A resource for which Azure AD wants the user to interact. */
export interface InteractionPromptView {
  readonly resource: string;
  /** Requests still waiting for this approval. */
  readonly waiting: number;
  /** The popup is open. */
  readonly busy: boolean;
  /** Why the last approval failed. */
  readonly error?: string;
}

export interface TokenResponderDeps {
  /** `null` allows every resource. */
  readonly allowedResources: readonly string[] | null;
  readonly acquireSilent: (scopes: string[]) => Promise<AcquiredToken>;
  /** Must open its UI synchronously: it is called straight from the click. */
  readonly acquireInteractive: (scopes: string[]) => Promise<AcquiredToken>;
  readonly classifyError: (error: unknown) => AcquireFailure;
  /** Posts an answer to the console (the caller fixes the target origin). */
  readonly respond: (message: TokenResponseMessage) => void;
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly onActivity?: (entry: ActivityEntry) => void;
  readonly onPromptsChange?: (prompts: readonly InteractionPromptView[]) => void;
}

export interface TokenResponder {
  handleRequest(request: TokenRequestMessage): Promise<void>;
  /** The user clicked Approve for `resource` (default: the oldest prompt). */
  approve(resource?: string): Promise<void>;
  prompts(): readonly InteractionPromptView[];
}

interface Waiting {
  readonly request: TokenRequestMessage;
  readonly startedAt: number;
  readonly cancelTimer: () => void;
}
interface Prompt {
  readonly resource: string;
  readonly scopes: string[];
  readonly waiting: Map<string, Waiting>;
  busy: boolean;
  error?: string;
}

export function interactionRequiredMessage(resource: string): string {
  return `Azure AD needs you to interact before it issues a token for ${resource}: act in the portal tab (click Approve), then retry.`;
}

/**
 * Answers the console's token requests with MSAL: policy check, silent
 * acquisition with scope `resource + "/.default"`, and a click-started
 * interactive fallback bounded by the request's deadline.
 */
export function createTokenResponder(deps: TokenResponderDeps): TokenResponder {
  const allowlist = deps.allowedResources === null ? null : createAllowlist(deps.allowedResources);
  const answered = new Set<string>();
  const prompts = new Map<string, Prompt>();

  function promptViews(): InteractionPromptView[] {
    return [...prompts.values()].map((p) => ({
      resource: p.resource,
      waiting: p.waiting.size,
      busy: p.busy,
      ...(p.error === undefined ? {} : { error: p.error }),
    }));
  }
  function promptsChanged(): void {
    deps.onPromptsChange?.(promptViews());
  }

  function answer(request: TokenRequestMessage, startedAt: number, result: { ok: true; token: Token } | { ok: false; error: WireError }): void {
    if (answered.has(request.id)) return;
    answered.add(request.id);
    if (answered.size > MAX_REMEMBERED_ANSWERS) answered.delete(answered.values().next().value ?? request.id);
    const base = { channel: POST_MESSAGE_CHANNEL, v: PROTOCOL_VERSION, type: "token.response", id: request.id } as const;
    let message: TokenResponseMessage = result.ok ? { ...base, ok: true, token: result.token } : { ...base, ok: false, error: result.error };
    // Check our own output against the wire format the console enforces.
    const checked = parsePortalToConsoleMessage(message);
    if (!checked.ok) {
      message = { ...base, ok: false, error: { code: "Internal", message: `The portal's answer did not fit the wire format (${describeParseError(checked.error)}).` } };
    }
    deps.respond(message);
    deps.onActivity?.({
      id: request.id,
      resource: request.resource,
      outcome: message.ok ? "ok" : message.error.code,
      durationMs: Math.max(0, deps.now() - startedAt),
      at: deps.now(),
    });
  }

  function answerWithToken(request: TokenRequestMessage, startedAt: number, acquired: AcquiredToken): void {
    const wire = toWireToken(acquired, request.resource);
    if (wire.ok) answer(request, startedAt, { ok: true, token: wire.token });
    else answer(request, startedAt, { ok: false, error: { code: wire.code, message: wire.message } });
  }

  function answerWithFailure(request: TokenRequestMessage, startedAt: number, failure: AcquireFailure): void {
    const error =
      failure.kind === "interaction"
        ? { code: "InteractionRequired", message: interactionRequiredMessage(request.resource) }
        : { code: failure.code, message: failure.message };
    answer(request, startedAt, { ok: false, error });
  }

  function waitForInteraction(request: TokenRequestMessage, startedAt: number, scopes: string[]): void {
    let prompt = prompts.get(request.resource);
    if (prompt === undefined) {
      prompt = { resource: request.resource, scopes, waiting: new Map(), busy: false };
      prompts.set(request.resource, prompt);
    }
    const owner = prompt;
    const cancelTimer = deps.setTimer(
      () => {
        // Give up on this request, but keep the prompt: a click still fetches the token for the next one.
        owner.waiting.delete(request.id);
        answerWithFailure(request, startedAt, { kind: "interaction" });
        promptsChanged();
      },
      Math.max(0, request.deadline - INTERACTION_DEADLINE_MARGIN_MS - deps.now()),
    );
    owner.waiting.set(request.id, { request, startedAt, cancelTimer });
    promptsChanged();
  }

  function settle(prompt: Prompt, outcome: (waiting: Waiting) => void): void {
    const waiting = [...prompt.waiting.values()];
    prompt.waiting.clear();
    for (const entry of waiting) {
      entry.cancelTimer();
      outcome(entry);
    }
  }

  return {
    async handleRequest(request) {
      const startedAt = deps.now();
      if (allowlist !== null && !allowlist.has(request.resource)) {
        answer(request, startedAt, {
          ok: false,
          error: { code: "PolicyRefused", message: `The portal's policy does not allow tokens for ${request.resource}.` },
        });
        return;
      }
      const scopes = [scopeForResource(request.resource)];
      let acquired: AcquiredToken;
      try {
        acquired = await deps.acquireSilent(scopes);
      } catch (error) {
        const failure = deps.classifyError(error);
        if (failure.kind === "interaction") waitForInteraction(request, startedAt, scopes);
        else answerWithFailure(request, startedAt, failure);
        return;
      }
      answerWithToken(request, startedAt, acquired);
    },

    async approve(resource) {
      const prompt = resource === undefined ? prompts.values().next().value : prompts.get(resource);
      if (prompt === undefined || prompt.busy) return;
      prompt.busy = true;
      delete prompt.error;
      // Called before any await: the popup must open inside the click.
      const pending = deps.acquireInteractive(prompt.scopes);
      promptsChanged();
      try {
        const acquired = await pending;
        prompts.delete(prompt.resource);
        settle(prompt, (w) => answerWithToken(w.request, w.startedAt, acquired));
      } catch (error) {
        const failure = deps.classifyError(error);
        prompt.busy = false;
        prompt.error = failure.kind === "interaction" ? "Azure AD still needs you to interact." : `${failure.code}: ${failure.message}`;
        settle(prompt, (w) => answerWithFailure(w.request, w.startedAt, failure));
      }
      promptsChanged();
    },

    prompts: promptViews,
  };
}
