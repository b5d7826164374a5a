import { readFileSync } from "node:fs";
import type { CliIo } from "./io.js";

/** The real process as a `CliIo`. */
export function processIo(): CliIo {
  const send = process.send?.bind(process);
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path, "utf8"),
    send:
      send === undefined
        ? undefined
        : (message) => {
            send(message);
          },
    onLauncherGone:
      send === undefined
        ? undefined
        : (listener) => {
            process.on("disconnect", listener);
            return () => process.off("disconnect", listener);
          },
    onSignal(signal, listener) {
      process.on(signal, listener);
      return () => process.off(signal, listener);
    },
  };
}
