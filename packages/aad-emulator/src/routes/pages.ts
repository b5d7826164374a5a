import type { AadError } from "../aad-error.js";
import { escapeHtml, htmlPage } from "../http/html.js";

/** Shown instead of redirecting when the redirect URI cannot be trusted. */
export function renderErrorPage(error: AadError): string {
  return htmlPage(
    "Sign in error",
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error" class="error" role="alert">AADSTS${error.aadsts}: ${escapeHtml(error.message)}</p>
<p class="hint">error: <code>${escapeHtml(error.error)}</code></p>`,
  );
}

export function renderSignedOutPage(): string {
  return htmlPage("Signed out", `<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>`);
}

export interface HomePageInput {
  authority: string;
  armUrl: string;
  usernames: readonly string[];
}

/** `GET /`: lets a person accept the self-signed certificate and see what runs here. */
export function renderHomePage(input: HomePageInput): string {
  const users = input.usernames.map((name) => `<li><code>${escapeHtml(name)}</code></li>`).join("");
  return htmlPage(
    "authbridge AAD emulator",
    `<h1>authbridge AAD emulator</h1>
<p>Authority: <code>${escapeHtml(input.authority)}</code></p>
<p>Mock ARM: <code>${escapeHtml(input.armUrl)}</code></p>
<p>Test users:</p><ul>${users}</ul>`,
  );
}
