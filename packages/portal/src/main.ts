import "./style.css";
import { PublicClientApplication, type AccountInfo } from "@azure/msal-browser";
import { loadPortalConfig, type PortalConfig } from "./config.js";
import { guardConsoleMessage } from "./message-guard.js";
import { buildMsalConfiguration } from "./msal-config.js";
import { classifyAcquireError } from "./msal-errors.js";
import { createRelayApi } from "./relay-api.js";
import { createSessionController, type SessionView } from "./session.js";
import { createSessionMemory } from "./session-memory.js";
import { createTokenResponder } from "./token-responder.js";
import { appendActivity, findElements, renderAccount, renderConsoleFrame, renderPrompts, renderSession, showError, type PortalElements } from "./view.js";

function describe(error: unknown): string {
  return error instanceof Error ? error.message : "Unexpected error.";
}

async function main(): Promise<void> {
  const el = findElements(document);
  const loaded = await loadPortalConfig(fetch.bind(window));
  if (!loaded.ok) {
    showError(el.configError, loaded.message);
    el.sessionState.dataset["state"] = "error";
    el.sessionState.textContent = "The portal could not start.";
    return;
  }
  const config = loaded.config;
  const postLogoutRedirectUri = new URL(".", window.location.href).href;
  const pca = new PublicClientApplication(buildMsalConfiguration(config, postLogoutRedirectUri));
  try {
    await pca.initialize();
    const result = await pca.handleRedirectPromise();
    if (result?.account) pca.setActiveAccount(result.account);
  } catch (error) {
    showError(el.authError, `Sign-in failed: ${describe(error)}`);
  }
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;

  el.signIn.addEventListener("click", () => {
    el.signIn.disabled = true;
    pca.loginRedirect({ scopes: [config.relayScope] }).catch((error: unknown) => {
      el.signIn.disabled = false;
      showError(el.authError, `Sign-in failed: ${describe(error)}`);
    });
  });

  if (account === null) {
    renderAccount(el, null);
    renderSession(el, { state: "none" }, false, 0);
    return;
  }
  pca.setActiveAccount(account);
  renderAccount(el, account.username);
  startSignedIn(el, config, pca, account);
}

function startSignedIn(el: PortalElements, config: PortalConfig, pca: PublicClientApplication, account: AccountInfo): void {
  let frame: HTMLIFrameElement | null = null;
  let ignored = 0;
  let sessionView: SessionView = { state: "none" };

  const render = () => {
    renderSession(el, sessionView, true, ignored);
    frame = renderConsoleFrame(el.consoleHost, sessionView.state === "none" ? undefined : sessionView.consoleUrl, frame);
  };
  const postToConsole = (message: unknown, targetOrigin: string) => {
    frame?.contentWindow?.postMessage(message, targetOrigin);
  };

  const api = createRelayApi({
    baseUrl: config.relayApiUrl,
    fetch: (url, init) => fetch(url, init),
    getAccessToken: async () => (await pca.acquireTokenSilent({ scopes: [config.relayScope], account })).accessToken,
  });
  const session = createSessionController({
    api,
    relayWsUrl: config.relayWsUrl,
    consoleOrigin: config.consoleOrigin,
    now: () => Date.now(),
    memory: createSessionMemory(window.sessionStorage, account.homeAccountId),
    postToConsole,
    onChange: (view) => {
      sessionView = view;
      render();
    },
  });
  const responder = createTokenResponder({
    allowedResources: config.allowedResources,
    acquireSilent: (scopes) => pca.acquireTokenSilent({ scopes, account }),
    acquireInteractive: (scopes) => pca.acquireTokenPopup({ scopes, account, loginHint: account.username }),
    classifyError: classifyAcquireError,
    respond: (message) => postToConsole(message, config.consoleOrigin),
    now: () => Date.now(),
    setTimer: (fn, ms) => {
      const handle = window.setTimeout(fn, ms);
      return () => window.clearTimeout(handle);
    },
    onActivity: (entry) => appendActivity(el.activity, entry),
    onPromptsChange: (prompts) => renderPrompts(el, prompts),
  });

  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const verdict = guardConsoleMessage(
      { origin: event.origin, source: event.source, data: event.data },
      { origin: config.consoleOrigin, source: frame?.contentWindow ?? null },
    );
    if (!verdict.accepted) {
      ignored += 1;
      render();
      return;
    }
    if (verdict.message.type === "ready") void session.onConsoleReady();
    else void responder.handleRequest(verdict.message);
  });

  el.approve.addEventListener("click", () => void responder.approve());
  el.endSession.addEventListener("click", () => void session.end());
  el.startSession.addEventListener("click", () => void session.start());
  el.signOut.addEventListener("click", () => {
    el.signOut.disabled = true;
    void (async () => {
      await session.end();
      await pca.logoutRedirect({ account });
    })().catch((error: unknown) => {
      el.signOut.disabled = false;
      showError(el.authError, `Sign-out failed: ${describe(error)}`);
    });
  });

  render();
  void session.start();
}

void main();
