/**
 * `RemoteEnv`: the `Env` interface over a `passgym serve` connection. Every method is one request;
 * the episode logic (passes, observations, rewards, crash recovery, validation) runs in the
 * server's `LlvmEnv`, the same code as a local environment, so agents cannot tell them apart.
 * Action names and indices are checked locally against the server's action space first, so bad
 * actions fail with the same errors as locally.
 */
import type { ActionLike, Env, ResetOptions, ResetResult, StepResult } from '../core';
import { ActionSpace, ActionSpaceName } from '../actions/space';
import { formatCommandline } from '../actions/commandline';
import { canonicalUri, DEFAULT_BENCHMARK } from '../benchmarks';
import { observationSpace, ObservationValue } from '../observations';
import { rewardSpace } from '../rewards';
import { makeRng, Rng } from '../spaces';
import type { CompilerEnvState } from '../state';
import type { ValidationResult } from '../validation';
import { ClosedError, EpisodeStateError } from '../errors';
import type { ServiceClient } from './client';
import { Msg, observationFromProto } from './proto';

/** An action space as the server described it. */
export function actionSpaceFromProto(a: Msg): ActionSpace {
  return new ActionSpace(a.name as ActionSpaceName, a.actions ?? [], a.llvmMajor ?? 0, []);
}

/** Construction options of `RemoteEnv`. */
export interface RemoteEnvOptions {
  client: ServiceClient;
  actionSpace: ActionSpace;
  observationSpace?: string | null;
  rewardSpace?: string | null;
  benchmark?: string;
}

/** An environment served by `passgym serve`; see the module TSDoc. */
export class RemoteEnv implements Env {
  readonly actionSpace: ActionSpace;
  private readonly client: ServiceClient;
  private obsName: string | null;
  private rewardName: string | null;
  private benchmarkUri: string;
  private sid: number | null = null;
  private actionList: number[] = [];
  private rewardSum: number | null = null;
  private started = 0;
  private ended = false;
  private closed = false;
  rng: Rng = makeRng();

  constructor(options: RemoteEnvOptions) {
    this.client = options.client;
    this.actionSpace = options.actionSpace;
    this.obsName = options.observationSpace ? observationSpace(options.observationSpace).name : null;
    this.rewardName = options.rewardSpace ? rewardSpace(options.rewardSpace).name : null;
    this.benchmarkUri = canonicalUri(options.benchmark ?? DEFAULT_BENCHMARK);
  }

  get observationSpaceName() {
    return this.obsName;
  }
  get rewardSpaceName() {
    return this.rewardName;
  }
  get benchmark() {
    return this.benchmarkUri;
  }
  get actions(): readonly number[] {
    return this.actionList;
  }
  get episodeReward() {
    return this.rewardSum;
  }
  get episodeEnded() {
    return this.ended;
  }
  /** The server's session id (null before reset). */
  get sessionId() {
    return this.sid;
  }

  private live(): number {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (this.sid === null) throw new EpisodeStateError('call reset() before step() or observe()');
    return this.sid;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (options.observationSpace !== undefined) this.obsName = options.observationSpace && observationSpace(options.observationSpace).name;
    if (options.rewardSpace !== undefined) this.rewardName = options.rewardSpace && rewardSpace(options.rewardSpace).name;
    if (options.seed !== undefined) this.rng = makeRng(options.seed);
    const benchmark = options.benchmark !== undefined ? canonicalUri(options.benchmark) : this.benchmarkUri;
    const reply = await this.client.call('startSession', {
      benchmark,
      actionSpace: this.actionSpace.name,
      observationSpace: this.obsName ?? '',
      rewardSpace: this.rewardName ?? '',
    });
    if (this.sid !== null) await this.client.call('endSession', { sessionId: this.sid }).catch(() => undefined);
    this.sid = Number(reply.sessionId);
    this.benchmarkUri = reply.benchmark ?? benchmark;
    this.actionList = [];
    this.rewardSum = this.rewardName ? 0 : null;
    this.started = performance.now();
    this.ended = false;
    return { observation: reply.observation ? observationFromProto(reply.observation) : null, info: { benchmark: this.benchmarkUri } };
  }

  step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  async multistep(actions: readonly ActionLike[]): Promise<StepResult> {
    const sessionId = this.live();
    if (this.ended) throw new EpisodeStateError('the episode has ended (terminated or truncated); call reset() to start a new one');
    const indices = actions.map((a) => this.actionSpace.index(a));
    const r = await this.client.call('step', { sessionId, actions: indices });
    this.actionList = r.episodeActions ?? [];
    if (this.rewardName) this.rewardSum = r.episodeReward ?? 0;
    const info = r.errorType ? { error_type: r.errorType, error_details: r.errorDetails ?? '' } : {};
    return {
      observation: r.observation ? observationFromProto(r.observation) : null,
      reward: r.hasReward ? (r.reward ?? 0) : null,
      terminated: Boolean(r.terminated),
      truncated: Boolean(r.truncated),
      info,
    };
  }

  async observe(space: string): Promise<ObservationValue> {
    const sessionId = this.live();
    observationSpace(space);
    const r = await this.client.call('observe', { sessionId, observationSpaces: [space] });
    return observationFromProto(r.observations[space]);
  }

  async fork(): Promise<RemoteEnv> {
    const sessionId = this.live();
    const r = await this.client.call('forkSession', { sessionId });
    const copy = new RemoteEnv({
      client: this.client,
      actionSpace: this.actionSpace,
      observationSpace: this.obsName,
      rewardSpace: this.rewardName,
      benchmark: this.benchmarkUri,
    });
    copy.sid = Number(r.sessionId);
    copy.actionList = [...this.actionList];
    copy.rewardSum = this.rewardSum;
    copy.started = this.started;
    copy.ended = this.ended;
    return copy;
  }

  commandline(): string {
    return formatCommandline(`opt-${this.actionSpace.llvmMajor}`, this.actionList.map((k) => this.actionSpace.names[k]));
  }

  get state(): CompilerEnvState {
    return {
      benchmark: this.benchmarkUri,
      reward: this.rewardSum,
      walltime: this.sid === null ? 0 : (performance.now() - this.started) / 1000,
      commandline: this.commandline(),
    };
  }

  async validate(state: CompilerEnvState = this.state): Promise<ValidationResult> {
    const r = await this.client.call('validate', {
      benchmark: state.benchmark,
      commandline: state.commandline,
      hasReward: state.reward !== null && this.rewardName !== null,
      reward: state.reward ?? 0,
      rewardSpace: this.rewardName ?? '',
      actionSpace: this.actionSpace.name,
    });
    return {
      benchmark: state.benchmark,
      ok: Boolean(r.ok),
      rewardValidated: Boolean(r.rewardValidated),
      semanticsValidated: Boolean(r.semanticsValidated),
      expectedReward: state.reward,
      actualReward: this.rewardName ? (r.actualReward ?? 0) : null,
      walltime: r.walltime ?? 0,
      ...(r.errorType ? { error: { type: r.errorType, details: r.errorDetails ?? '' } } : {}),
    };
  }

  async setParameter(name: string, value: string | number): Promise<void> {
    await this.client.call('setParameter', { sessionId: this.live(), name, value: String(value) });
  }

  endEpisode(): void {
    this.ended = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sid !== null) await this.client.call('endSession', { sessionId: this.sid }).catch(() => undefined);
    this.sid = null;
  }
}
