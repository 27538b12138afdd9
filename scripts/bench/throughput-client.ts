/**
 * One client process of `passgym bench service`'s throughput run: keeps SESSIONS remote
 * environments stepping with random actions for SECONDS and prints {steps} as JSON.
 * Usage: node throughput-client.js ENDPOINT SESSIONS SECONDS SEED BENCHMARK[,BENCHMARK…]
 */
import { make, disconnectAll } from '../../env/registry';
import { makeRng } from '../../env/spaces';

const [endpoint, sessions, seconds, seed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const benchmarks = process.argv[6].split(',');

async function run(k: number, deadline: number): Promise<number> {
  const env = await make('llvm-v0', { endpoint, rewardSpace: 'IrInstructionCount' });
  const rng = makeRng(`${seed}-${k}`);
  await env.reset({ benchmark: benchmarks[k % benchmarks.length] });
  let steps = 0;
  while (performance.now() < deadline) {
    if (env.actions.length >= 50) await env.reset();
    await env.step(env.actionSpace.sample(rng));
    steps++;
  }
  await env.close();
  return steps;
}

const deadline = performance.now() + seconds * 1000;
void Promise.all(Array.from({ length: sessions }, (_, k) => run(k, deadline))).then((counts) => {
  console.log(JSON.stringify({ steps: counts.reduce((a, b) => a + b, 0), seconds }));
  disconnectAll();
  process.exit(0);
});
