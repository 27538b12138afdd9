import { SpinPolicy } from '../../env/session/spin';

/** Runs `rounds` solo round trips whose overhead is `overheadMs` when they spin; returns how many spun. */
function run(policy: SpinPolicy, rounds: number, overheadMs: number): number {
  let spun = 0;
  for (let k = 0; k < rounds; k++) {
    const spin = policy.choose();
    if (spin) spun++;
    policy.record(spin, spin ? overheadMs : 0.2);
  }
  return spun;
}

describe('SpinPolicy: busy-polling only while it pays', () => {
  test('keeps spinning while spinning round trips cost a few hundredths of a ms', () => {
    const policy = new SpinPolicy(1);
    expect(run(policy, 1000, 0.04)).toBe(1000);
  });

  test('stops when spinning starves the worker, and tries again less and less often', () => {
    const policy = new SpinPolicy(1);
    run(policy, 100, 0.04);
    // Overloaded: a spinning round trip's overhead exceeds half the 1 ms window.
    const first = run(policy, 1000, 2.4);
    const later = run(policy, 1000, 2.4);
    expect(first).toBeLessThan(40);
    expect(later).toBeLessThan(first);
    // The load ends: the next try finds spinning cheap again, and it stays on.
    run(policy, 4000, 0.04);
    expect(run(policy, 500, 0.04)).toBe(500);
  });

  test('a 0 ms window never spins', () => {
    expect(run(new SpinPolicy(0), 100, 0.01)).toBe(0);
  });
});
