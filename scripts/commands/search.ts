/**
 * `passgym search --agent NAME --benchmark URI [--budget-seconds S] [--budget-steps N]`: runs one
 * agent on one benchmark and prints the best sequence it found, replayed and scored
 * (IrInstructionCountOz), with its `opt` command line and the agent's figures.
 */
import type { CommandModule, Argv } from 'yargs';
import { createAgent, parseAgentOptions } from '../../agents/registry';
import { localSource, remoteSource } from '../../agents/context';
import { runAgentOnBenchmark } from '../../agents/leaderboard/harness';
import { pythonAgent } from '../../agents/leaderboard/python-agent';
import { WorkerPool } from '../../env/session/pool';
import type { AgentOptions } from '../../agents/agent';

interface SearchArgs {
  agent: string;
  benchmark: string;
  'budget-seconds'?: number;
  'budget-steps'?: number;
  'agent-options'?: string;
  seed: number;
  workers?: number;
  endpoint?: string[];
  'endpoint-workers': number;
  prior?: string;
  'llm-base-url'?: string;
  'llm-model'?: string;
  'llm-gguf'?: string;
  'print-prompt'?: boolean;
  'llm-fallback'?: boolean;
  json: boolean;
  verbose: boolean;
}

/** Folds the tree-search flags into agent options (`--prior` -> `prior`, `--llm-model` -> `llmModel`, ...). */
export function searchFlagsToOptions(a: Partial<SearchArgs>, base: AgentOptions): AgentOptions {
  const out: AgentOptions = { ...base };
  if (a.prior !== undefined) out.prior = a.prior;
  if (a['llm-base-url'] !== undefined) out.llmBaseUrl = a['llm-base-url'];
  if (a['llm-model'] !== undefined) out.llmModel = a['llm-model'];
  if (a['llm-gguf'] !== undefined) out.llmGguf = a['llm-gguf'];
  if (a['print-prompt']) out.printPrompt = true;
  if (a['llm-fallback']) out.llmFallback = true;
  return out;
}

export const searchCommand: CommandModule<object, SearchArgs> = {
  command: 'search',
  describe: 'Search for a pass sequence on one benchmark with an agent (random, greedy, beam, ...)',
  builder: (y: Argv) =>
    y
      .option('agent', { type: 'string', default: 'random', describe: 'agent name (random, greedy, beam, mcts, ppo, oz, o3) or python:FILE' })
      .option('benchmark', { type: 'string', default: 'benchmark://embedded-v0/qsort', describe: 'the benchmark URI to optimise' })
      .option('budget-seconds', { type: 'number', describe: 'wall-clock budget' })
      .option('budget-steps', { type: 'number', describe: 'budget in compilations' })
      .option('agent-options', { type: 'string', describe: 'key=value,... or a JSON object' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the random choices of the agent' })
      .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
      .option('endpoint', { type: 'string', array: true, describe: 'passgym serve endpoints to use instead of local workers' })
      .option('endpoint-workers', { type: 'number', default: 1, describe: 'workers of each --endpoint server (parallel evaluations per endpoint)' })
      .option('prior', { type: 'string', describe: 'tree search prior: uniform | policy:CHECKPOINT | llm' })
      .option('llm-base-url', { type: 'string', describe: 'OpenAI-compatible endpoint of the llm prior' })
      .option('llm-model', { type: 'string', describe: 'with --prior llm: the model name the server expects' })
      .option('llm-gguf', { type: 'string', describe: 'local GGUF model for the llm prior (node-llama-cpp)' })
      .option('print-prompt', { type: 'boolean', describe: 'print the llm prior’s first prompt' })
      .option('llm-fallback', { type: 'boolean', describe: 'with --prior llm: when the model does not answer, warn and search with the uniform prior (default: fail)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as one JSON object' })
      .option('verbose', { type: 'boolean', default: false, describe: "print the agent's progress lines" }) as never,
  handler: async (a) => {
    if (a['budget-seconds'] === undefined && a['budget-steps'] === undefined) a['budget-seconds'] = 10;
    const options = searchFlagsToOptions(a, parseAgentOptions(a['agent-options']));
    const agent = a.agent.startsWith('python:') ? pythonAgent(a.agent.slice(7), options) : await createAgent(a.agent, options);
    const source = a.endpoint?.length ? remoteSource(a.endpoint, a['endpoint-workers']) : localSource({ workers: a.workers });
    const replayPool = source.pool ?? new WorkerPool({ maxWorkers: 1 });
    try {
      const budget = { seconds: a['budget-seconds'], steps: a['budget-steps'] };
      const row = await runAgentOnBenchmark(agent, source, replayPool, a.benchmark, a.seed, budget, a.verbose ? (m) => console.error(m) : undefined);
      if (a.json) console.log(JSON.stringify(row));
      else if (row.error) console.log(`${a.benchmark}: ${row.error}`);
      else {
        console.log(`${a.agent} on ${a.benchmark}: reward ${row.reward!.toFixed(4)} (IrInstructionCountOz), IR ${row.irInstructionCountO0} at -O0, ${row.irInstructionCountOz} at -Oz, ${row.irInstructionCount} found (${(row.irInstructionCountOz! / row.irInstructionCount!).toFixed(3)}x vs -Oz)`);
        console.log(`${row.steps} compilations in ${row.walltime.toFixed(1)} s`);
        console.log(row.commandline);
        const stats = Object.entries(row.stats);
        if (stats.length) console.log(stats.map(([k, v]) => `${k} ${v}`).join(', '));
      }
      if (row.error) process.exitCode = 1;
    } finally {
      await agent.close?.();
      if (replayPool !== source.pool) replayPool.close();
      source.close();
    }
  },
};
