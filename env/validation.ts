/** The result of `Env.validate()` (CompilerGym's `ValidationResult`, reward part). */
export interface ValidationResult {
  benchmark: string;
  /** True when the state replayed without error and, if there is a reward, it reproduced. */
  ok: boolean;
  /** True when a reward was compared (CompilerGym's `reward_validated`; also when it mismatched). */
  rewardValidated: boolean;
  /** True when the compared reward differed (CompilerGym's `reward_validation_failed`). */
  rewardValidationFailed: boolean;
  /** True when the benchmark is runnable and its output was compared with the -O0 reference. */
  semanticsValidated: boolean;
  /** True when that comparison failed (CompilerGym's `benchmark_semantics_validation_failed`). */
  semanticsValidationFailed: boolean;
  expectedReward: number | null;
  actualReward: number | null;
  /** Seconds the validation took. */
  walltime: number;
  /**
   * What went wrong: `RewardMismatch`; `Miscompilation`, `RuntimeCrash`, `RuntimeTimeout`,
   * `BuildError` (semantic validation); `WorkerCrash`, `StepTimeout`; or an error code.
   */
  error?: { type: string; details: string };
}
