import { describe, expect, it } from "vitest";
import { createConsoleBridge, type RelaySocketHandlers } from "../src/bridge.js";
import { FakeClock, PORTAL, RELAY_URL, TICKET } from "./fakes.js";

function setUp() {
  const clock = new FakeClock();
  const parent = {};
  const terminalFrames: Uint8Array[] = [];
  const binarySent: Uint8Array[] = [];
  let handlers: RelaySocketHandlers | undefined;
  let open = false;
  const bridge = createConsoleBridge({
    portalOrigin: PORTAL,
    parent,
    postMessage: () => undefined,
    openSocket: (_url, _protocols, h) => {
      handlers = h;
      return {
        send: () => undefined,
        sendBinary: (frame) => {
          if (!open) return false;
          binarySent.push(frame);
          return true;
        },
        close: () => undefined,
      };
    },
    now: clock.now,
    setTimer: clock.setTimer,
    onChange: () => undefined,
    onTerminalFrame: (frame) => terminalFrames.push(frame),
  });
  bridge.start();
  bridge.handleMessage({ origin: PORTAL, source: parent, data: { channel: "authbridge", v: 1, type: "connect", relayUrl: RELAY_URL, ticket: TICKET } });
  return {
    bridge,
    terminalFrames,
    binarySent,
    relay: () => {
      if (handlers === undefined) throw new Error("no socket");
      return handlers;
    },
    setOpen: (value: boolean) => (open = value),
  };
}

describe("the bridge and the terminal's binary frames", () => {
  it("hands binary frames to the terminal without counting them as ignored, and leaves text frames to the token bridge", () => {
    const t = setUp();
    t.setOpen(true);
    t.relay().onOpen();
    t.relay().onMessage(Uint8Array.of(1, 65, 66).buffer);
    expect(t.terminalFrames.map((frame) => Array.from(frame))).toEqual([[1, 65, 66]]);
    expect(t.bridge.view().ignored).toBe(0);
    t.relay().onMessage(JSON.stringify({ v: 1, type: "welcome", sessionId: "s", peer: true }));
    expect(t.bridge.view().state).toBe("ready");
    expect(t.terminalFrames).toHaveLength(1);
  });

  it("sends terminal frames over the socket, and reports when there is no open socket", () => {
    const t = setUp();
    expect(t.bridge.sendTerminal(Uint8Array.of(4, 0, 0, 0, 1))).toBe(false);
    t.setOpen(true);
    expect(t.bridge.sendTerminal(Uint8Array.of(4, 0, 0, 0, 1))).toBe(true);
    expect(t.binarySent).toHaveLength(1);
  });
});
