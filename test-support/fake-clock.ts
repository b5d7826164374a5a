/** A clock and timers that move only when the test says so (the browser apps' `now`/`setTimer` dependencies). */
export class FakeClock {
  time = 1_700_000_000_000;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];

  now = (): number => this.time;

  setTimer = (fn: () => void, ms: number): (() => void) => {
    const timer = { at: this.time + ms, fn, live: true };
    this.#timers.push(timer);
    return () => {
      timer.live = false;
    };
  };

  get liveTimers(): number {
    return this.#timers.filter((t) => t.live).length;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}
