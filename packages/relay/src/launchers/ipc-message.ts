import { parseWith, type ParseResult } from "@authbridge/protocol";
import { z } from "zod";

/** What the endpoint process sends over IPC once its HTTP server listens. */
const listeningMessage = z.object({
  type: z.literal("listening"),
  url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL"),
});
export type ListeningMessage = z.infer<typeof listeningMessage>;

export function parseListeningMessage(input: unknown): ParseResult<ListeningMessage> {
  return parseWith(listeningMessage, input);
}
