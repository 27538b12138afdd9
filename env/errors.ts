/**
 * PassGym's error classes. Every error has a stable `code` (also used on the wire between the
 * environment and its worker processes, and later by the ZeroMQ service) and a message that says
 * what was wrong and what is valid instead.
 */

/** Base class: `code` is a stable, machine-readable identifier. */
export class PassGymError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No usable LLVM (library plus tools) was found, or `PASSGYM_LLVM` names one that is not there. */
export class LlvmNotFoundError extends PassGymError {
  constructor(message: string) {
    super('LLVM_NOT_FOUND', message);
  }
}

/** An external program PassGym needs is missing; the message carries the `apt-get` line. */
export class MissingToolError extends PassGymError {
  constructor(
    readonly tool: string,
    readonly debianPackage: string,
  ) {
    super(
      'MISSING_TOOL',
      `${tool} is not installed. Install it with: apt-get update && apt-get install -y ${debianPackage}`,
    );
  }
}

/** IR text or bitcode that LLVM cannot parse or that fails the verifier. */
export class InvalidIrError extends PassGymError {
  constructor(message: string) {
    super('INVALID_IR', message);
  }
}

/** A pass pipeline string that the loaded LLVM's pass builder rejects. */
export class PassPipelineError extends PassGymError {
  constructor(message: string) {
    super('INVALID_PIPELINE', message);
  }
}

/** A benchmark URI that does not resolve: bad scheme, missing file, unknown dataset or id. */
export class UnknownBenchmarkError extends PassGymError {
  constructor(message: string) {
    super('UNKNOWN_BENCHMARK', message);
  }
}

/** A benchmark whose source exists but cannot be turned into a module (compile failure). */
export class BenchmarkBuildError extends PassGymError {
  constructor(message: string) {
    super('BENCHMARK_BUILD_FAILED', message);
  }
}

/** An action index out of range or an action name that is not in the action space. */
export class UnknownActionError extends PassGymError {
  constructor(message: string) {
    super('UNKNOWN_ACTION', message);
  }
}

/** A session that belongs to another client of the service. */
export class SessionNotOwnedError extends PassGymError {
  constructor(message: string) {
    super('SESSION_NOT_OWNED', message);
  }
}

/** A benchmark of a dataset the service has not installed (DATASET_NOT_INSTALLED). */
export class DatasetNotInstalledError extends PassGymError {
  constructor(message: string) {
    super('DATASET_NOT_INSTALLED', message);
  }
}

/** A benchmark of a dataset the service is installing now; retry later (DATASET_INSTALLING). */
export class DatasetInstallingError extends PassGymError {
  constructor(message: string) {
    super('DATASET_INSTALLING', message);
  }
}

/** A session parameter name that `setParameter` does not know. */
export class UnknownParameterError extends PassGymError {
  constructor(message: string) {
    super('UNKNOWN_PARAMETER', message);
  }
}

/** A parameter value that is not a decimal integer within the parameter's bounds. */
export class InvalidValueError extends PassGymError {
  constructor(message: string) {
    super('INVALID_VALUE', message);
  }
}

/** An observation, reward or action space name that does not exist. */
export class UnknownSpaceError extends PassGymError {
  constructor(message: string) {
    super('UNKNOWN_SPACE', message);
  }
}

/** `step()` after the episode was terminated or truncated, or before `reset()`. */
export class EpisodeStateError extends PassGymError {
  constructor(message: string) {
    super('EPISODE_STATE', message);
  }
}

/** A session id that the worker pool does not hold (ended, or never started). */
export class SessionNotFoundError extends PassGymError {
  constructor(message: string) {
    super('SESSION_NOT_FOUND', message);
  }
}

/** A state CSV or commandline that cannot be read. */
export class StateFormatError extends PassGymError {
  constructor(message: string) {
    super('STATE_FORMAT', message);
  }
}

/** A Runtime observation whose runs took longer than the budget (PoolOptions.runtimeBudgetSeconds). */
export class RuntimeBudgetExceededError extends PassGymError {
  constructor(message: string) {
    super('RUNTIME_BUDGET_EXCEEDED', message);
  }
}

/** A request stopped because its session was ended while it ran (`LlvmEnv.cancel`). */
export class CancelledError extends PassGymError {
  constructor(message: string) {
    super('CANCELLED', message);
  }
}

/** The server has as many sessions open as it allows (`passgym serve --max-sessions`). */
export class SessionLimitError extends PassGymError {
  constructor(message: string) {
    super('SESSION_LIMIT', message);
  }
}

/** A resent request that was applied, whose reply was too large to keep for resends. */
export class ResendExpiredError extends PassGymError {
  constructor(message: string) {
    super('RESEND_EXPIRED', message);
  }
}

/** The server already has as many builds running and waiting as it allows; retry shortly. */
export class BuildsBusyError extends PassGymError {
  constructor(message: string) {
    super('BUILDS_BUSY', message);
  }
}

/** The environment or its pool was used after `close()`. */
export class ClosedError extends PassGymError {
  constructor(message: string) {
    super('CLOSED', message);
  }
}

const BY_CODE: Record<string, new (message: string) => PassGymError> = {
  LLVM_NOT_FOUND: LlvmNotFoundError,
  INVALID_IR: InvalidIrError,
  INVALID_PIPELINE: PassPipelineError,
  UNKNOWN_BENCHMARK: UnknownBenchmarkError,
  BENCHMARK_BUILD_FAILED: BenchmarkBuildError,
  UNKNOWN_ACTION: UnknownActionError,
  UNKNOWN_SPACE: UnknownSpaceError,
  EPISODE_STATE: EpisodeStateError,
  SESSION_NOT_FOUND: SessionNotFoundError,
  STATE_FORMAT: StateFormatError,
  CLOSED: ClosedError,
  UNKNOWN_PARAMETER: UnknownParameterError,
  SESSION_NOT_OWNED: SessionNotOwnedError,
  DATASET_NOT_INSTALLED: DatasetNotInstalledError,
  DATASET_INSTALLING: DatasetInstallingError,
  INVALID_VALUE: InvalidValueError,
  RUNTIME_BUDGET_EXCEEDED: RuntimeBudgetExceededError,
  CANCELLED: CancelledError,
  SESSION_LIMIT: SessionLimitError,
  RESEND_EXPIRED: ResendExpiredError,
  BUILDS_BUSY: BuildsBusyError,
};

/** The plain form of an error that crosses a process boundary. */
export interface ErrorPayload {
  code: string;
  message: string;
}

/** Turns any thrown value into `{code, message}`; non-PassGym errors get code `INTERNAL`. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (e instanceof PassGymError) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: 'INTERNAL', message: `${e.name}: ${e.message}` };
  return { code: 'INTERNAL', message: String(e) };
}

/** Rebuilds the error class named by `payload.code` (a generic `PassGymError` for unknown codes). */
export function fromErrorPayload(payload: ErrorPayload): PassGymError {
  const Cls = BY_CODE[payload.code];
  if (Cls) return new Cls(payload.message);
  return new PassGymError(payload.code, payload.message);
}
