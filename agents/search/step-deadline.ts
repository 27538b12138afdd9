/**
 * How long a search agent lets one step run under a time budget: the time the budget has left,
 * plus a grace of 10% of the budget (at least 0.5 s). A step past that is cut off: the pool kills
 * its worker and reports a StepTimeout, which the agent counts as a compilation and a failure.
 *
 * Why a grace: cutting a step off is not free. The killed worker is respawned and every session
 * on it is replayed (each from its benchmark, through all its actions), which on apps-v0's larger
 * programs takes seconds. With no grace, every run ended by killing its last step, and 5 s budgets
 * took 7.6–9.6 s per program on apps-v0 (djpeg, tiff2bw); finishing an ordinary last step costs
 * far less. The grace still stops a pass that would run into the pool's step timeout (300 s).
 */
export function stepTimeoutSeconds(budgetSeconds: number, elapsedSeconds: number): number {
  return Math.max(0, budgetSeconds - elapsedSeconds) + Math.max(STEP_GRACE_MIN_SECONDS, STEP_GRACE_SHARE * budgetSeconds);
}

/** Share of the time budget a last step may run past it. */
export const STEP_GRACE_SHARE = 0.1;
/** Least grace, in seconds. */
export const STEP_GRACE_MIN_SECONDS = 0.5;
