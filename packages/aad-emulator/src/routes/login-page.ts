import { escapeHtml, htmlPage } from "../http/html.js";

export const WRONG_CREDENTIALS = "Wrong user name or password.";

export interface LoginPageInput {
  /** Where the form posts. */
  action: string;
  /** The authorize request, carried to the POST in hidden fields. */
  hidden: Readonly<Record<string, string>>;
  username: string;
  error?: string;
  /** Shown as a hint; passwords are never shown. */
  usernames: readonly string[];
}

/**
 * The sign-in form. Automation drives it by `input[name="username"]`,
 * `input[name="password"]` and the one button named "Sign in".
 */
export function renderLoginPage(input: LoginPageInput): string {
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const error = input.error === undefined ? "" : `<p id="error" class="error" role="alert">${escapeHtml(input.error)}</p>`;
  const focusPassword = input.username !== "";
  const users = input.usernames.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ");
  return htmlPage(
    "Sign in to your account",
    `<h1>Sign in</h1>
<p class="hint">authbridge AAD emulator: a local test authority, not Microsoft Entra ID.</p>
${error}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="off">
${hidden}
<label for="username">User name</label>
<input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(input.username)}" required${focusPassword ? "" : " autofocus"}>
<label for="password">Password</label>
<input id="password" name="password" type="password" required${focusPassword ? " autofocus" : ""}>
<button type="submit" id="submit">Sign in</button>
</form>
<p class="hint">Test users: ${users}</p>`,
  );
}
