import { PassGymServer } from '../../env/service/server';
import { ServiceClient } from '../../env/service/client';
import { make, disconnectAll } from '../../env/registry';

describe('a server started with --allow-run-uploaded', () => {
  test('runs uploaded programs sandboxed: Runtime and output validation work; a library upload stays not runnable', async () => {
    const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1, allowRunUploaded: true });
    await server.start();
    const client = new ServiceClient(server.endpoint);
    try {
      const program = '#include <stdio.h>\nint main(void) { unsigned long s = 0; for (unsigned long i = 0; i < 3000000; i++) s += i % 7; printf("%lu\\n", s); return 0; }\n';
      const { benchmark } = await client.call('addBenchmark', { name: 'sum.c', contents: Buffer.from(program) });
      const env = await make('llvm-ic-v0', { endpoint: server.endpoint, actionSpace: 'PassesWithLevels' });
      await env.reset({ benchmark });
      expect(await env.observe('IsRunnable')).toBe(true);
      expect(((await env.observe('Runtime')) as number[])[0]).toBeGreaterThan(0);
      await env.step('default<O2>');
      const v = await env.validate();
      expect(v).toMatchObject({ ok: true, semanticsValidated: true });
      const lib = await client.call('addBenchmark', { name: 'lib.c', contents: Buffer.from('int twice(int x) { return 2 * x; }\n') });
      await env.reset({ benchmark: lib.benchmark });
      expect(await env.observe('IsRunnable')).toBe(false);
      await env.close();
    } finally {
      client.close();
      disconnectAll();
      await server.close();
    }
  });
});
