/**
 * `passgym eval --agent ppo --checkpoint runs/NAME --dataset D [--split test] [--k 1 16 …]
 * [--random]`: scores a trained PPO policy with the leaderboard harness — the greedy rollout
 * (k=1) and policy-guided search (best of k rollouts) at a compilation budget of k × horizon —
 * and, with `--random`, random search at the same numbers of compilations. Each run writes
 * `OUT_DIR/D/NAME.csv` + `.json`, which `passgym leaderboard report` turns into LEADERBOARD.md rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule, Argv } from 'yargs';
import { runLeaderboard } from '../../agents/leaderboard/harness';
import { assertSomeRowSucceeded } from '../../agents/leaderboard/results';
import { remoteSource } from '../../agents/context';
import { readPolicyMeta } from '../../agents/ppo/checkpoint';
import { PRETRAINED_DIR } from '../../agents/ppo/agent';
import { PolicyMismatchError, policyMismatchMessage } from '../../agents/mcts/policy-prior';
import { WorkerPool } from '../../env/session/pool';
import { actionSpaceFor } from '../../env/registry';
import { formatRow, formatSummary, TABLE_HEADER } from './leaderboard';
import type { AgentOptions } from '../../agents/agent';
import { evaluationSplit, type Split } from '../../env/datasets/splits';

interface EvalArgs {
  agent: string;
  checkpoint: string;
  dataset: string;
  split?: string;
  benchmark?: string[];
  k: number[];
  random: boolean;
  'out-dir': string;
  resume: boolean;
  force: boolean;
  workers?: number;
  endpoint?: string[];
  'endpoint-workers': number;
  quiet: boolean;
}

/** One evaluation: an agent at a compilation budget, and where its results go. */
interface EvalRun {
  agent: string;
  options: AgentOptions;
  steps: number;
  label: string;
  file: string;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Score a trained PPO policy (greedy rollout, policy-guided search) on a dataset split with the leaderboard harness',
  builder: (y: Argv) =>
    y
      .option('agent', { type: 'string', choices: ['ppo'], default: 'ppo', describe: 'the agent to score (only ppo)' })
      .option('checkpoint', { type: 'string', default: PRETRAINED_DIR, describe: 'run folder of passgym train ppo (default: the committed policy)' })
      .option('dataset', { type: 'string', demandOption: true, describe: 'dataset to score on (passgym datasets list)' })
      .option('split', { type: 'string', choices: ['train', 'validation', 'test'], describe: 'split of the dataset (default: test, or validation for embedded-v0, which has no test split; passgym datasets list shows each)' })
      .option('benchmark', { type: 'string', array: true, describe: 'evaluate on these URIs instead of the split' })
      .option('k', { type: 'number', array: true, default: [1], describe: 'rollouts per benchmark: 1 = greedy rollout, K > 1 = best of K (budget K × horizon compilations)' })
      .option('random', { type: 'boolean', default: false, describe: 'also run random search at the same numbers of compilations' })
      .option('out-dir', {
        type: 'string',
        demandOption: true,
        describe: 'results go to OUT_DIR/DATASET/*.csv (e.g. runs/eval; to add rows to the leaderboard, leaderboard/llvmN with --force or --resume)',
      })
      .option('resume', { type: 'boolean', default: false, describe: 'continue results files that exist: keep their completed rows, run the rest' })
      .option('force', { type: 'boolean', default: false, describe: 'replace results files that exist (without it or --resume the run refuses)' })
      .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
      .option('endpoint', { type: 'string', array: true, describe: 'passgym serve endpoints instead of local workers' })
      .option('endpoint-workers', { type: 'number', default: 1, describe: 'workers of each --endpoint server (parallel evaluations per endpoint)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print only the summaries' }) as never,
  handler: async (a) => {
    const meta = readPolicyMeta(a.checkpoint);
    if (!a.endpoint?.length) {
      // Refuse a policy for another action space (another LLVM) before any row is run.
      const pool = new WorkerPool({ maxWorkers: 1 });
      try {
        const space = await actionSpaceFor(pool, 'PassesAll');
        if (space.version !== meta.actionSpaceVersion) {
          throw new PolicyMismatchError(policyMismatchMessage(meta.actionSpaceVersion, space.version, `the policy in ${a.checkpoint}`));
        }
      } finally {
        pool.close();
      }
    }
    const horizon = meta.features.horizon;
    const name = path.basename(path.resolve(a.checkpoint));
    const dir = path.join(a['out-dir'], a.dataset);
    fs.mkdirSync(dir, { recursive: true });
    const runs: EvalRun[] = [];
    for (const k of a.k) {
      if (!Number.isInteger(k) || k < 1) throw new Error(`--k ${k}: must be a positive integer`);
      const steps = k * horizon;
      runs.push({
        agent: 'ppo',
        options: { checkpoint: a.checkpoint, k },
        steps,
        label: k === 1 ? `ppo greedy rollout (${name}, ${steps} compilations)` : `ppo policy-guided search (${name}, K=${k}, ${steps} compilations)`,
        file: path.join(dir, `ppo-${name}-k${k}.csv`),
      });
      if (a.random) runs.push({ agent: 'random', options: {}, steps, label: `random search (${steps} compilations)`, file: path.join(dir, `random-steps${steps}.csv`) });
    }
    // All the files are checked before the first run: none is overwritten, none left half done.
    if (!a.resume && !a.force) {
      const existing = runs.map((r) => r.file).filter((f) => fs.existsSync(f));
      if (existing.length) throw new Error(`${existing.join(', ')} exist: pass --resume to continue them, or --force to replace them`);
    }
    const lines: string[] = [];
    for (const r of runs) {
      console.log(`\n${r.label} on ${a.dataset} ${a.benchmark ? 'custom' : a.split ?? evaluationSplit(a.dataset) ?? 'test'}`);
      if (!a.quiet) console.log(TABLE_HEADER);
      const { results, summary } = await runLeaderboard({
        agent: r.agent,
        agentOptions: r.options,
        dataset: a.dataset,
        split: a.split as Split,
        benchmarks: a.benchmark,
        stepBudget: r.steps,
        out: r.file,
        resume: a.resume,
        force: a.force,
        label: r.label,
        workers: a.workers,
        source: a.endpoint?.length ? remoteSource(a.endpoint, a['endpoint-workers']) : undefined,
        onRow: (row) => (a.quiet ? undefined : console.log(formatRow(row))),
      });
      console.log(formatSummary(summary));
      assertSomeRowSucceeded(results.rows, `${r.label} on ${a.dataset}`);
      lines.push(`${r.label.padEnd(64)} ${summary.geomeanIrVsOz === null ? 'n/a' : summary.geomeanIrVsOz.toFixed(3) + 'x'}  ${summary.meanWalltime.toFixed(1)} s  results ${r.file}`);
    }
    console.log(`\ngeomean IR instruction count vs -Oz on ${a.dataset}:\n${lines.join('\n')}`);
  },
};
