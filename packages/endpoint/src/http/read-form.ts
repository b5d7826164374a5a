import { AuthbridgeError } from "@authbridge/protocol";
import type { IncomingMessage } from "node:http";
import { payloadTooLargeMessage } from "../messages.js";

export interface ReadBodyOptions {
  /** Larger bodies are refused with 413 `PayloadTooLarge`. */
  maxBytes: number;
  /** The whole body must arrive within this time, else 408. */
  timeoutMs: number;
}

/**
 * Reads a request body as UTF-8 text, refusing it as soon as it passes
 * `maxBytes` (by Content-Length before reading, or while reading). On refusal
 * the listeners are removed; the caller answers with `Connection: close`.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<string> {
  const { maxBytes, timeoutMs } = options;
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  if (req.readableEnded) return Promise.resolve("");

  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      finish(new AuthbridgeError("InvalidRequest", `The request body did not arrive within ${timeoutMs} ms.`, { status: 408 }));
    }, timeoutMs);

    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    }
    function onEnd(): void {
      finish(undefined);
    }
    function onGone(): void {
      finish(new AuthbridgeError("InvalidRequest", "The client closed the connection before sending the whole body."));
    }
    function finish(error: AuthbridgeError | undefined): void {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
      if (error === undefined) resolve(Buffer.concat(chunks, size).toString("utf8"));
      else reject(error);
    }

    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

function tooLarge(maxBytes: number): AuthbridgeError {
  return new AuthbridgeError("PayloadTooLarge", payloadTooLargeMessage(maxBytes));
}
