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

/** Spinning round trips that must all be slow for spinning to stop. */
const SAMPLES = 5;
/** Round trips not recorded at first (the JIT compiler is still warming up), and after a pause. */
const WARMUP = 20;
const WARMUP_AFTER_PAUSE = 10;
/** A pause longer than this (ms) between the starts of two solo round trips leaves caches and CPUs cold. */
const PAUSE_MS = 100;
/** Round trips without spinning before spinning is tried again; doubled after each failed try. */
const MIN_BACKOFF = 50;
const MAX_BACKOFF = 3200;

/**
 * Decides, round trip by round trip, whether a solo worker round trip busy-polls. Spinning pays on
 * an idle machine, and while other work leaves the two spinning processes their share of the
 * cores; it costs dearly when there is more work than cores, as the spinning processes then take
 * the CPU time the worker needs, and a step costs ten times what it costs without spinning
 * (README, "Speed"). No load figure told the cases apart on these VMs (`/proc/loadavg` counts
 * this process's own helper threads; the time its threads wait for a CPU, `/proc/PID/schedstat`,
 * is as high beside one co-runner per core, where spinning still pays, as beside two, where it
 * does not), and a comparison of the two choices' costs flipped on noise, so the policy watches
 * what spinning costs: the overhead of a spinning round trip (its time less the worker's
 * own) is a few hundredths of a ms while it pays and more than the busy-poll window when it
 * starves the worker. When each of the last `SAMPLES` spinning round trips took more than half
 * the window (one slow round trip in a few, a GC pause or a new episode's first steps, is no
 * sign of load), spinning stops. The first round trips, and the first after a pause of more than `PAUSE_MS` (the
 * worker's CPU was idle and its caches cold), are not recorded. Spinning is tried again after
 * `MIN_BACKOFF` round trips, and after twice as many after each try that fails (up to
 * `MAX_BACKOFF`), so that a lasting load costs a few slow round trips in thousands and a load that
 * ends is noticed. A 0 ms window never spins.
 */
export class SpinPolicy {
  private samples: number[] = [];
  /** Round trips still to go before costs are recorded again, and when the last one was chosen. */
  private unrecorded = WARMUP;
  private lastAt = -Infinity;
  private spinning = true;
  /** True from a new try of spinning until it has `SAMPLES` samples. */
  private trying = false;
  private blockedRounds = 0;
  private backoff = MIN_BACKOFF;

  constructor(readonly windowMs: number) {}

  /** True when the next solo round trip should spin. */
  choose(): boolean {
    if (this.windowMs <= 0) return false;
    const now = performance.now();
    if (now - this.lastAt > PAUSE_MS) {
      this.unrecorded = Math.max(this.unrecorded, WARMUP_AFTER_PAUSE);
      this.samples = [];
    } else if (this.unrecorded > 0) this.unrecorded--;
    this.lastAt = now;
    if (!this.spinning && ++this.blockedRounds >= this.backoff) {
      this.spinning = true;
      this.trying = true;
      this.samples = [];
    }
    return this.spinning;
  }

  /** Records a round trip's overhead in ms (its time less the worker's time), for the choice made. */
  record(spun: boolean, overheadMs: number): void {
    if (!spun || !this.spinning || this.unrecorded > 0) return;
    this.samples.push(overheadMs);
    if (this.samples.length > SAMPLES) this.samples.shift();
    if (this.samples.length >= SAMPLES && Math.min(...this.samples) > this.windowMs / 2) {
      this.spinning = false;
      this.blockedRounds = 0;
      this.backoff = this.trying ? Math.min(this.backoff * 2, MAX_BACKOFF) : MIN_BACKOFF;
      this.trying = false;
    } else if (this.trying && this.samples.length >= SAMPLES) {
      this.trying = false;
      this.backoff = MIN_BACKOFF;
    }
  }
}
