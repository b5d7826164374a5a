import { z } from "zod";

/** IPC messages between the bench and its children, parsed from `unknown`. */
export const readyMessage = z.object({ type: z.literal("ready"), url: z.string(), userToken: z.string().optional() });
export const launchedMessage = z.object({ type: z.literal("launched"), sessionId: z.string(), agentToken: z.string() });
export const memoryMessage = z.object({ type: z.literal("memory"), heapUsed: z.number(), external: z.number(), rss: z.number(), sessions: z.number() });
export const pairedMessage = z.object({ type: z.literal("paired"), total: z.number() });
export const cpuMessage = z.object({ type: z.literal("cpu"), micros: z.number() });
export const failedMessage = z.object({ type: z.literal("failed"), message: z.string() });

export type ReadyMessage = z.infer<typeof readyMessage>;
export type LaunchedMessage = z.infer<typeof launchedMessage>;
export type MemoryMessage = z.infer<typeof memoryMessage>;

/** An `accept` function for Child.next(): the parsed message, or undefined if it is another kind. */
export function accepting<T>(schema: z.ZodType<T>): (message: unknown) => T | undefined {
  return (message) => {
    const parsed = schema.safeParse(message);
    if (parsed.success) return parsed.data;
    const failed = failedMessage.safeParse(message);
    if (failed.success) throw new Error(failed.data.message);
    return undefined;
  };
}
