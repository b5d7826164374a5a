/** What a launcher gets to start one endpoint (agent) for a session. */
export interface LaunchContext {
  sessionId: string;
  /** The agent's one bearer for this session. Pass it by environment or another private channel, never argv or logs. */
  agentToken: string;
  /** `ws://…/ws/agent` */
  relayAgentUrl: string;
}

/** A started endpoint, as far as the relay needs to control it. */
export interface LaunchedAgent {
  /** Where the endpoint listens, when the launcher knows. */
  endpointUrl?: string;
  /**
   * True when the endpoint runs outside the relay's control (the external
   * launcher): `stop()` cannot stop it. With a state file such a session
   * survives a graceful relay shutdown; one the relay owns is ended with it.
   */
  external?: boolean;
  stop(): Promise<void>;
  /** Called once when the agent process ends (immediately if it already has). */
  onExit(listener: (code: number | null) => void): void;
}

export interface Launcher {
  launch(context: LaunchContext): Promise<LaunchedAgent>;
}
