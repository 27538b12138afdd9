/** CompilerGym's wrappers for the LLVM environment, and Gymnasium-style base classes. */
export { TimeLimit } from './time-limit';
export { CommandlineWithTerminalAction, TERMINAL_ACTION } from './commandline-with-terminal-action';
export { ConstrainedCommandline } from './constrained-commandline';
export { CycleOverBenchmarks, RandomOrderBenchmarks } from './benchmark-order';
export { IterateOverBenchmarks, BenchmarksExhaustedError } from './iterate-over-benchmarks';
export { ForkOnStep } from './fork-on-step';
export { Counter } from './counter';
export type { Counts } from './counter';
export { RuntimePointEstimateReward } from './runtime-point-estimate-reward';
export { ValidateBenchmarkAfterEveryStep } from './validate-benchmark-after-every-step';
export { ActionWrapper } from './action-wrapper';
export { ObservationWrapper } from './observation-wrapper';
export { RewardWrapper } from './reward-wrapper';
export { rewrap } from './rewrap';
