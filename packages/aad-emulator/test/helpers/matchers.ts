import { expect } from "vitest";

/** vitest's asymmetric matchers, typed `unknown` instead of `any` for use inside expected objects. */
export const anyString = (): unknown => expect.any(String);
export const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
export const containing = (text: string): unknown => expect.stringContaining(text);
export const objectContaining = (object: Record<string, unknown>): unknown => expect.objectContaining(object);
export const arrayContaining = (items: unknown[]): unknown => expect.arrayContaining(items);
