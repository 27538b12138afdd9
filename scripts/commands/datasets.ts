/** `passgym datasets list [--json]` and `passgym datasets install NAME [--force] [--only ID…]`. */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import { DATASET_RECIPES, GENERATOR_RECIPES, LLVM_STRESS } from '../../env/datasets/registry';
import { datasetDir, installDataset, loadManifest } from '../../env/datasets/install';
import { UnknownBenchmarkError } from '../../env/errors';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { runtimeMedian } from '../../env/rewards';

/** Bytes under a folder. */
function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/**
 * A dataset's license for the table: as it is when short, else the number of licenses (a dataset
 * of many programs lists one per program; `datasets list --json` has them all).
 */
export function shortLicense(license: string): string {
  if (license.length <= 60) return license;
  return `${license.split('; ').length} licenses, one per program (datasets list --json lists them)`;
}

/** One row of `datasets list`. */
export interface DatasetRow {
  name: string;
  kind: 'dataset' | 'generator';
  size: number | null;
  installed: boolean;
  runnable: boolean;
  license: string;
  description: string;
  failures?: number;
  installSeconds?: number;
  cacheBytes?: number;
  /** Set on a partial install (`install NAME --only ID…`): the ids or patterns it holds. */
  only?: string[];
}

export function datasetRows(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  for (const r of DATASET_RECIPES.values()) {
    const m = loadManifest(r.name);
    rows.push({
      name: r.name,
      kind: 'dataset',
      size: m ? m.entries.length : null,
      installed: m !== null,
      runnable: r.runnable,
      license: r.license,
      description: r.description,
      ...(m ? { failures: m.failures.length, installSeconds: Math.round(m.seconds), cacheBytes: folderBytes(datasetDir(r.name)) } : {}),
      ...(m?.only ? { only: m.only } : {}),
    });
  }
  for (const g of [LLVM_STRESS, ...GENERATOR_RECIPES.values()]) {
    rows.push({ name: g.name, kind: 'generator', size: null, installed: true, runnable: g.runnable, license: g.license, description: g.description });
  }
  return rows;
}

export const datasetsCommand: CommandModule = {
  command: 'datasets',
  describe: 'List and install datasets',
  builder: (y) =>
    y
      .command(
        'list',
        'List datasets and generators',
        (yy) => yy.option('json', { type: 'boolean', default: false, describe: 'print JSON instead of the table' }),
        (argv) => {
          const rows = datasetRows();
          if (argv.json) return void console.log(JSON.stringify(rows));
          for (const r of rows) {
            const size = r.kind === 'generator' ? 'generator' : r.size === null ? 'not installed' : `${r.size} benchmarks`;
            const extra = r.installed && r.kind === 'dataset' ? `, ${(r.cacheBytes! / 2 ** 20).toFixed(1)} MiB, built in ${r.installSeconds} s, ${r.failures} left out` : '';
            const partial = r.only ? `; PARTIAL (--only ${r.only.join(' ')}): passgym datasets install ${r.name} installs the rest` : '';
            console.log(`${r.name.padEnd(16)} ${size}${extra}${partial}; ${r.runnable ? 'runnable' : 'not runnable'}; ${shortLicense(r.license)}\n${''.padEnd(17)}${r.description}`);
          }
        },
      )
      .command(
        'install <name>',
        'Build a dataset into the cache',
        (yy) =>
          yy
            .positional('name', { type: 'string', demandOption: true, describe: `dataset to build: ${[...DATASET_RECIPES.keys()].join(', ')}` })
            .option('force', { type: 'boolean', default: false, describe: 'rebuild when installed' })
            .option('only', { type: 'string', array: true, describe: 'build only these benchmark ids (a partial install; a plain install completes it)' }),
        async (argv) => {
          const recipe = DATASET_RECIPES.get(argv.name as string);
          if (!recipe) throw new UnknownBenchmarkError(`unknown dataset '${argv.name}'; valid: ${[...DATASET_RECIPES.keys()].join(', ')}`);
          const bar = new cliProgress.SingleBar(
            { format: `${recipe.name} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 },
            cliProgress.Presets.shades_classic,
          );
          let started = false;
          const manifest = await installDataset(recipe, {
            force: argv.force as boolean,
            only: argv.only as string[] | undefined,
            onProgress: (done, total, label) => {
              if (!started) {
                bar.start(total, done, { label });
                started = true;
              }
              bar.setTotal(total);
              bar.update(done, { label });
            },
          });
          if (started) bar.stop();
          console.log(`${recipe.name}: ${manifest.entries.length} benchmarks in ${datasetDir(recipe.name)} (${manifest.seconds.toFixed(0)} s); ${manifest.failures.length} left out`);
          if (manifest.only) console.log(`  a partial install (--only ${manifest.only.join(' ')}): 'passgym datasets install ${recipe.name}' installs the rest`);
          for (const f of manifest.failures.slice(0, 20)) console.log(`  left out ${f.id} at ${f.step}: ${f.message.split('\n')[0].slice(0, 160)}`);
          if (manifest.failures.length > 20) console.log(`  … and ${manifest.failures.length - 20} more (see manifest.json)`);
        },
      )
      .command(
        'report <name>',
        'Per benchmark: IR instruction count at -O0 and -Oz, and for runnable ones the runtime at -O0 and -O3',
        (yy) =>
          yy
            .positional('name', { type: 'string', demandOption: true, describe: `installed dataset to report on: ${[...DATASET_RECIPES.keys()].join(', ')}` })
            .option('runs', { type: 'number', default: 3, describe: 'runs per Runtime observation (the median is shown)' })
            .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of the table' }),
        async (argv) => {
          const recipe = DATASET_RECIPES.get(argv.name as string);
          if (!recipe) throw new UnknownBenchmarkError(`unknown dataset '${argv.name}'; valid: ${[...DATASET_RECIPES.keys()].join(', ')}`);
          // A partial install is reported as it is (installDataset would complete it).
          const manifest = loadManifest(recipe.name) ?? (await installDataset(recipe));
          if (manifest.only) console.error(`${recipe.name} is installed in part (--only ${manifest.only.join(' ')}): reporting its ${manifest.entries.length} benchmarks`);
          const pool = new WorkerPool({ maxWorkers: 1 });
          const env = await make('llvm-v0', { pool, actionSpace: 'PassesWithLevels' });
          try {
            for (const e of manifest.entries) {
              await env.reset({ benchmark: `benchmark://${recipe.name}/${e.id}` });
              const row: Record<string, unknown> = {
                benchmark: e.id,
                irO0: await env.observe('IrInstructionCountO0'),
                irOz: await env.observe('IrInstructionCountOz'),
              };
              if (e.run) {
                await env.setParameter('runtime_observation_count', argv.runs as number);
                // The median of the runs (the Runtime observation lists each run).
                row.runtimeO0 = runtimeMedian((await env.observe('Runtime')) as number[]);
                await env.step('default<O3>');
                row.runtimeO3 = runtimeMedian((await env.observe('Runtime')) as number[]);
              }
              if (argv.json) console.log(JSON.stringify(row));
              else {
                const rt = e.run ? `  runtime -O0 ${(row.runtimeO0 as number).toFixed(3)} s  -O3 ${(row.runtimeO3 as number).toFixed(3)} s` : '';
                console.log(`${e.id.padEnd(16)} IR -O0 ${String(row.irO0).padStart(7)}  -Oz ${String(row.irOz).padStart(7)}${rt}`);
              }
            }
          } finally {
            await env.close();
            pool.close();
          }
        },
      )
      .demandCommand(1, 'name a datasets command: list, install or report'),
  handler: () => undefined,
};
