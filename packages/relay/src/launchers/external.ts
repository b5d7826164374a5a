import type { LaunchContext, LaunchedAgent, Launcher } from "./launcher.js";

export interface ExternalLauncherOptions {
  /** Hands the context to whatever starts the container elsewhere. */
  onLaunch(context: LaunchContext): void | Promise<void>;
}

/**
 * For endpoints started outside the relay: it only hands out the context.
 * Stopping is done by the session closing the agent socket with 4000, after
 * which the endpoint exits on its own. Its endpoints are `external`: with a
 * state file, their sessions outlive a graceful relay shutdown.
 */
export function createExternalLauncher(options: ExternalLauncherOptions): Launcher {
  return {
    async launch(context) {
      await options.onLaunch(context);
      const agent: LaunchedAgent = {
        external: true,
        stop: () => Promise.resolve(),
        onExit: () => undefined,
      };
      return agent;
    },
  };
}
