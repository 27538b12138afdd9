/**
 * `RemoteEnv`: the `Env` interface over a `passgym serve` connection. Every method is one request;
 * the episode logic (passes, observations, rewards, crash recovery, validation) runs in the
 * server's `LlvmEnv`, the same code as a local environment, so agents cannot tell them apart.
 * Action names and indices are checked locally against the server's action space first, so bad
 * actions fail with the same errors as locally.
 */
import type { ActionLike, ResetOptions, ResetResult, StepInfo, StepOptions, StepResult } from '../core';
import { ActionSpace, ActionSpaceName } from '../actions/space';
import { observationSpace, ObservationValue } from '../observations';
import { rewardSpace } from '../rewards';
import type { CompilerEnvState } from '../state';
import type { ValidationResult } from '../validation';
import { EpisodeEnv, observationNames, stepTimeoutMs } from '../episode-env';
import type { ServiceClient } from './client';
import { Decoded, observationFromProto, wire } from './proto';
import { actionMetadata } from '../actions/metadata';
import { PassGymError } from '../errors';

/** An action space as the server described it. */
export function actionSpaceFromProto(a: Decoded<wire.IActionSpace>): ActionSpace {
  const names: string[] = a.actions ?? [];
  const sent = a.metadata ?? [];
  // A server older than ActionMetadata sends none: this side's files give the facts (not measured there).
  const metadata = sent.length
    ? sent.map((m) => ({ deterministic: m.deterministic === true, knownMiscompile: m.knownMiscompile === true, measured: m.measured === true }))
    : actionMetadata(a.llvmMajor ?? 0, names).map((m) => ({ ...m, measured: false }));
  return new ActionSpace(a.name as ActionSpaceName, names, a.llvmMajor ?? 0, [], metadata);
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
export class RemoteEnv extends EpisodeEnv<Buffer> {
  private readonly client: ServiceClient;
  private rewardName: string | null;

  constructor(options: RemoteEnvOptions) {
    super(options.actionSpace, options.observationSpace, options.benchmark);
    this.client = options.client;
    this.client.retain();
    this.rewardName = options.rewardSpace ? rewardSpace(options.rewardSpace).name : null;
  }

  get rewardSpaceName() {
    return this.rewardName;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    const benchmark = this.beginReset(options);
    if (options.rewardSpace !== undefined) this.rewardName = options.rewardSpace && rewardSpace(options.rewardSpace).name;
    const reply = await this.client.call('startSession', {
      benchmark,
      actionSpace: this.actionSpace.name,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      observationSpace: this.obsName ?? '',
      rewardSpace: this.rewardName ?? '',
    });
    if (this.sid !== null) await this.client.call('endSession', { sessionId: this.sid }).catch(() => undefined);
    if (!reply.sessionId?.length) throw new PassGymError('INTERNAL', 'the server started a session but sent no session_id');
    this.beginEpisode(reply.sessionId, reply.benchmark ?? benchmark);
    return { observation: reply.observation ? observationFromProto(reply.observation) : null, info: { benchmark: this.benchmarkUri } };
  }

  async multistep(actions: readonly ActionLike[], options: StepOptions = {}): Promise<StepResult> {
    const sessionId = this.liveForStep();
    const indices = actions.map((a) => this.actionSpace.index(a));
    const r = await this.client.call('step', {
      sessionId,
      actions: indices,
      observationSpaces: [...(options.observationSpaces ?? [])],
      rewardSpaces: [...(options.rewardSpaces ?? [])],
      reportEffect: options.reportEffect === true,
      ...(options.timeoutSeconds !== undefined ? { timeoutMs: stepTimeoutMs(options.timeoutSeconds) } : {}),
    });
    this.actionList = r.episodeActions ?? [];
    if (this.rewardName) this.rewardSum = r.episodeReward ?? 0;
    const info: StepInfo = r.errorType ? { error_type: r.errorType, error_details: r.errorDetails ?? '' } : {};
    if (r.recoveredState) {
      info.recovered_state = r.recoveredState;
      info.recovery_details = r.recoveryDetails ?? '';
    }
    if (r.actionHadNoEffect !== undefined) info.action_had_no_effect = r.actionHadNoEffect;
    const failed = Boolean(r.errorType);
    return {
      observation: r.observation ? observationFromProto(r.observation) : null,
      reward: r.hasReward ? (r.reward ?? 0) : null,
      terminated: Boolean(r.terminated),
      truncated: Boolean(r.truncated),
      info,
      ...(options.observationSpaces?.length && !failed
        ? { observations: Object.fromEntries(Object.entries(r.observations ?? {}).map(([k, o]) => [k, observationFromProto(o)])) }
        : {}),
      ...(options.rewardSpaces?.length && !failed ? { rewards: { ...(r.rewards ?? {}) } } : {}),
    };
  }

  observe(space: string): Promise<ObservationValue>;
  observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  async observe(spaces: string | readonly string[]): Promise<ObservationValue | Record<string, ObservationValue>> {
    const sessionId = this.live();
    const names = typeof spaces === 'string' ? [observationSpace(spaces).name] : observationNames(spaces);
    const r = await this.client.call('observe', { sessionId, observationSpaces: names });
    const out: Record<string, ObservationValue> = {};
    for (const name of names) {
      const o = r.observations?.[name];
      if (!o) throw new PassGymError('INTERNAL', `the server's ObserveReply has no ${name}`);
      out[name] = observationFromProto(o);
    }
    return typeof spaces === 'string' ? out[names[0]] : out;
  }

  async fork(): Promise<RemoteEnv> {
    const sessionId = this.live();
    const r = await this.client.call('forkSession', { sessionId });
    const copy = new RemoteEnv({ client: this.client, actionSpace: this.actionSpace, observationSpace: this.obsName, rewardSpace: this.rewardName });
    if (!r.sessionId?.length) throw new PassGymError('INTERNAL', 'the server forked a session but sent no session_id');
    this.copyEpisodeTo(copy, r.sessionId);
    return copy;
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
      rewardValidationFailed: Boolean(r.rewardValidationFailed),
      semanticsValidated: Boolean(r.semanticsValidated),
      semanticsValidationFailed: Boolean(r.semanticsValidationFailed),
      expectedReward: state.reward,
      actualReward: this.rewardName ? (r.actualReward ?? 0) : null,
      walltime: r.walltime ?? 0,
      ...(r.errorType ? { error: { type: r.errorType, details: r.errorDetails ?? '' } } : {}),
    };
  }

  async setParameter(name: string, value: string | number): Promise<void> {
    await this.client.call('setParameter', { sessionId: this.live(), name, value: String(value) });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sid !== null) await this.client.call('endSession', { sessionId: this.sid }).catch(() => undefined);
    this.sid = null;
    this.client.release();
  }
}
