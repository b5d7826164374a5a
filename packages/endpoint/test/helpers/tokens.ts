import type { Token } from "@authbridge/protocol";
import type { TokenSource } from "../../src/index.js";

export function makeToken(expiresOn: number, extra: Partial<Token> = {}): Token {
  return { accessToken: "eyJ.access.token", expiresOn, tokenType: "Bearer", resource: "https://management.azure.com/", ...extra };
}

export interface FakeTokenSource extends TokenSource {
  readonly calls: string[];
  /** Makes the next requests answer with this function. */
  respond(next: (resource: string) => Promise<Token>): void;
}

/** A token source that records calls and answers as told (default: never called expectation). */
export function fakeTokenSource(answer: (resource: string) => Promise<Token>): FakeTokenSource {
  let current = answer;
  const calls: string[] = [];
  return {
    calls,
    respond(next) {
      current = next;
    },
    requestToken(resource) {
      calls.push(resource);
      return current(resource);
    },
  };
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
