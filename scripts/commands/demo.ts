/**
 * `passgym demo [--quick]`: the main job. Runs the leaderboard harness with the demo agent (and
 * the PPO policy's greedy rollout, unless `--no-ppo`) on the embedded default (embedded-v0) and,
 * without `--quick`, on apps-v0 (installed first when it is missing); validates every result with
 * the stock `opt`; prints the tables; and writes an HTML report (tables + charts) whose path it
 * prints.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { runLeaderboard } from '../../agents/leaderboard/harness';
import { splitUris } from '../../env/datasets/split-uris';
import { validateResults } from '../../agents/leaderboard/validate';
import { writeHtmlReport, HtmlRun } from '../../agents/leaderboard/html';
import { parseAgentOptions } from '../../agents/registry';
import type { AgentOptions } from '../../agents/agent';
import { formatRow, formatSummary, TABLE_HEADER } from './leaderboard';
import { DATASET_RECIPES } from '../../env/datasets/registry';
import { installDataset, loadManifest } from '../../env/datasets/install';
import type { Split } from '../../env/datasets/splits';
import { ensurePolicy, policyUnavailable } from '../../agents/ppo/quick-train';
import { readPolicyMeta } from '../../agents/ppo/checkpoint';
import { coresetPath } from '../../agents/coreset/artifact';
import { findLlvm } from '../../env/llvm/library';

interface DemoArgs {
  quick: boolean;
  seconds?: number;
  agent?: string;
  'agent-options'?: string;
  out?: string;
  workers?: number;
  ppo: boolean;
  'max-instructions': number;
}

/**
 * The agent the demo runs when none is named: the best search baseline at short budgets. Measured
 * here (LEADERBOARD.md): on apps-v0 random search at 10 s per program scores 0.959× -Oz and greedy
 * at 20 s 0.724× (on the large programs greedy cannot finish one round of 120 evaluations); on
 * embedded-v0 at 5 s random 1.183× and greedy 1.176×.
 */
export const FALLBACK_DEMO_AGENT = 'random';

/**
 * The demo's default agent: `coreset` (50 compilations a program) when the loaded LLVM has a
 * shipped coreset (`data/coreset/`), else random search (`FALLBACK_DEMO_AGENT`). Measured on
 * apps-v0's test split with LLVM 14: docs/coreset.md.
 */
export function demoAgent(): string {
  return fs.existsSync(coresetPath(findLlvm().major)) ? 'coreset' : FALLBACK_DEMO_AGENT;
}

/** Compilations per program the coreset agent gets in the demo (the issue's budget). */
export const DEMO_CORESET_STEPS = 50;

/** The split's benchmarks of at most `maxInstructions` -O0 instructions, or undefined when that is all of them. */
function demoBenchmarks(dataset: string, split: Split, maxInstructions: number): string[] | undefined {
  const kept = splitUris(dataset, split, maxInstructions);
  return kept.length === splitUris(dataset, split).length ? undefined : kept;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'The main job: run the leaderboard on the embedded default (and apps-v0), validate, and write an HTML report',
  builder: (y) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: 'embedded-v0 only, 3 s a benchmark for a time-budgeted agent (coreset: 50 compilations)' })
      .option('seconds', { type: 'number', describe: 'budget per benchmark in seconds (default 5; 3 with --quick)' })
      .option('max-instructions', {
        type: 'number',
        default: 100_000,
        describe: "apps-v0 programs larger than this (-O0 IR instructions) are left out (lz4 at 103k, sqlite3 and xmllint at 340k cost minutes of fixed work)",
      })
      .option('agent', { type: 'string', describe: `agent to run (default: coreset, ${DEMO_CORESET_STEPS} compilations a program, where the loaded LLVM has a shipped coreset; else ${FALLBACK_DEMO_AGENT})` })
      .option('agent-options', { type: 'string', describe: 'options of --agent as k=v,… (e.g. patience=40)' })
      .option('out', {
        type: 'string',
        describe: 'folder for the results and the report (default: a new folder $TMPDIR/passgym-demo/DATE-TIME per run); existing results there are kept: the demo refuses to overwrite them',
      })
      .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
      .option('ppo', {
        type: 'boolean',
        default: true,
        describe: 'also score the PPO policy (greedy rollout of the committed checkpoint; trained briefly first when there is none); --no-ppo skips it',
      }) as never,
  handler: async (a) => {
    // Each run gets its own folder: a --quick run never overwrites a full run's report.
    a.out ??= path.join(os.tmpdir(), 'passgym-demo', new Date().toISOString().replace(/[:.]/g, '-'));
    const seconds = a.seconds ?? (a.quick ? 3 : 5);
    a.agent ??= demoAgent();
    const agentSteps = a.agent === 'coreset' && a.seconds === undefined ? DEMO_CORESET_STEPS : undefined;
    // The PPO row runs on the embedded default only: on apps-v0 its fixed work per program (replay,
    // object code, build and run) would take the demo past 10 minutes.
    const boards: Array<{ dataset: string; split: Split; ppo: boolean }> = [{ dataset: 'embedded-v0', split: 'validation', ppo: true }];
    if (!a.quick) boards.push({ dataset: 'apps-v0', split: 'test', ppo: false });
    for (const b of boards) {
      if (!loadManifest(b.dataset)) {
        console.log(`installing ${b.dataset} (once; sources from Debian/npm, compiled to bitcode)...`);
        let last = 0;
        await installDataset(DATASET_RECIPES.get(b.dataset)!, {
          onProgress: (done, total) => {
            if (done === total || Date.now() - last > 5000) {
              last = Date.now();
              console.log(`  ${done}/${total}`);
            }
          },
        });
      }
    }
    // The search agent gets a time budget; the PPO greedy rollout is one episode of the policy's
    // horizon, so it is budgeted (and labelled) in compilations.
    const agents: Array<{ name: string; options: AgentOptions; label: string; steps?: number }> = [
      agentSteps
        ? { name: a.agent, options: parseAgentOptions(a['agent-options']), steps: agentSteps, label: `${a.agent}, ${agentSteps} compilations per benchmark` }
        : { name: a.agent, options: parseAgentOptions(a['agent-options']), label: `${a.agent}, ${seconds} s per benchmark` },
    ];
    if (a.ppo && a.agent !== 'ppo') {
      // The committed policy is LLVM 14's; on another LLVM a short run is trained on torture-v0
      // when that dataset is installed for it (installing it takes about 25 minutes), else the
      // PPO row is left out and the demo says so.
      const skip = await policyUnavailable();
      if (skip) console.log(`${skip}\n`);
      else {
        const checkpoint = await ensurePolicy({ log: (m) => console.log(m) });
        const steps = readPolicyMeta(checkpoint).features.horizon;
        agents.push({ name: 'ppo', options: { checkpoint }, steps, label: `ppo greedy rollout, ${steps} compilations (${path.relative(process.cwd(), checkpoint) || checkpoint})` });
      }
    }
    console.log(`PassGym demo: ${agents.map((g) => g.label).join('; ')}; reward IrInstructionCountOz (1.0 = as small as -Oz)\n`);
    const runs: HtmlRun[] = [];
    for (const b of boards) {
      const benchmarks = demoBenchmarks(b.dataset, b.split, a['max-instructions']);
      const subset = benchmarks ? `, the ${benchmarks.length} programs under ${a['max-instructions']} instructions` : '';
      for (const agent of agents.filter((g) => g.name === a.agent || b.ppo)) {
        const csvPath = path.join(a.out, `${b.dataset}-${agent.name}.csv`);
        console.log(`== ${b.dataset} (${b.split} split${subset}), ${agent.label}\n${TABLE_HEADER}`);
        const { results, summary } = await runLeaderboard({
          agent: agent.name,
          agentOptions: agent.options,
          dataset: b.dataset,
          split: b.split,
          benchmarks,
          ...(agent.steps ? { stepBudget: agent.steps } : { timeBudgetSeconds: seconds }),
          label: agent.label,
          out: csvPath,
          workers: a.workers,
          onRow: (r) => console.log(formatRow(r)),
        });
        console.log(`\n${formatSummary(summary)}`);
        console.log('validating with the stock opt (replay, recount, run the programs)...');
        const validation = await validateResults(csvPath);
        const bad = validation.filter((v) => !v.ok);
        console.log(bad.length ? `${bad.length} of ${validation.length} rows FAILED validation:\n${bad.map((v) => `  ${v.benchmark}: ${v.error}`).join('\n')}\n` : `all ${validation.length} rows validate\n`);
        runs.push({ title: `${b.dataset} (${b.split}${subset}): ${agent.label}`, results, validation, csvPath, agent: agent.label.replace(/ \(.*\)$/, '') });
      }
    }
    const report = await writeHtmlReport(path.join(a.out, 'report.html'), `PassGym demo: ${agents.map((g) => g.name).join(' and ')}`, runs);
    console.log(`HTML report: ${report}`);
  },
};
