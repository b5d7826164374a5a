import type { Child } from "./child.js";
import { accepting, cpuMessage } from "./messages.js";

/** In a child: answer { type: "cpu" } with this process's CPU time so far (µs, user + system). */
export function answerCpuQueries(): void {
  process.on("message", (message: unknown) => {
    if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "cpu") return;
    const { user, system } = process.cpuUsage();
    process.send?.({ type: "cpu", micros: user + system });
  });
}

/** The child's CPU time so far (µs). On a shared machine this is steadier than wall-clock throughput. */
export async function cpuMicros(child: Child): Promise<number> {
  child.send({ type: "cpu" });
  return (await child.next(accepting(cpuMessage))).micros;
}
