/** CompilerGym's wrappers for the LLVM environment. */
export { TimeLimit } from './time-limit';
export { CommandlineWithTerminalAction, TERMINAL_ACTION } from './commandline-with-terminal-action';
export { ConstrainedCommandline } from './constrained-commandline';
export { CycleOverBenchmarks, RandomOrderBenchmarks } from './benchmark-order';
export { ForkOnStep } from './fork-on-step';
