/**
 * Bounded busy-polling of the event loop, to cut the latency of a worker round trip.
 *
 * On this project's virtual machines, waking a process whose CPU has gone idle dominates an
 * environment step: a bare Node IPC ping-pong between two processes measured 0.17-0.19 ms, and
 * 0.045 ms when both sides keep their event loops turning with `setImmediate` while a message is
 * expected (0.063 ms when both are pinned to one core). `spinUntil` keeps the loop turning for
 * at most `ms` milliseconds or until `done()` says the awaited message came, then lets the
 * process sleep as usual, so a long step costs at most `ms` of busy CPU.
 */

/**
 * Keeps the event loop busy (non-blocking polls) for up to `ms` milliseconds or until `done()`.
 * Returns a function that extends the window from now (for a new request).
 */
export function makeSpinner(ms: number, done: () => boolean): () => void {
  let until = 0;
  let running = false;
  const tick = () => {
    if (!done() && performance.now() < until) setImmediate(tick);
    else running = false;
  };
  return () => {
    if (ms <= 0) return;
    until = performance.now() + ms;
    if (!running) {
      running = true;
      setImmediate(tick);
    }
  };
}

/** The default busy-poll window in ms: `PASSGYM_SPIN_MS` if set, else 1. */
export function defaultSpinMs(): number {
  const v = Number(process.env.PASSGYM_SPIN_MS);
  return process.env.PASSGYM_SPIN_MS !== undefined && Number.isFinite(v) && v >= 0 ? v : 1;
}
