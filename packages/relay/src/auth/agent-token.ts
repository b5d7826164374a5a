import { digestSecret, randomSecret, secretMatches } from "./secret.js";

/** 256 bits: the bearer an endpoint process attaches to its session with. */
const AGENT_TOKEN_BYTES = 32;

export interface AgentCredential {
  /** Handed once to the launcher; never stored or logged by the relay. */
  token: string;
  /** sha256 of the token, the only form the session keeps. */
  digest: Buffer;
}

export function mintAgentToken(): AgentCredential {
  const token = randomSecret(AGENT_TOKEN_BYTES);
  return { token, digest: digestSecret(token) };
}

/** Compares sha256 digests with `timingSafeEqual`, so timing says nothing about the token. */
export function agentTokenMatches(presented: string, digest: Buffer): boolean {
  return secretMatches(presented, digest);
}
