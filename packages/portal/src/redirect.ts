import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

/**
 * The `redirectUri` page. Popups and the hidden iframe hand MSAL's response to
 * the portal over a BroadcastChannel; after a redirect sign-in it navigates
 * back to the page that started it.
 */
broadcastResponseToMainFrame().catch(() => {
  const status = document.querySelector('[data-testid="redirect-status"]');
  if (status !== null) status.textContent = "There is no sign-in response to complete here. Return to the portal.";
});
