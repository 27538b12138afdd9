import { ppoAgent, withTemperature } from '../../agents/ppo/agent';

describe('policy-guided search temperature', () => {
  test('t = 1 leaves the policy as it is; t < 1 sharpens and t > 1 flattens it, keeping zeros', () => {
    expect(Array.from(withTemperature(Float32Array.from([0.6, 0.4, 0]), 1))).toEqual(Array.from(Float32Array.from([0.6, 0.4, 0])));
    const sharp = withTemperature(Float32Array.from([0.6, 0.4, 0]), 0.5); // 0.36 : 0.16
    expect(sharp[0]).toBeCloseTo(0.36 / 0.52, 6);
    expect(sharp[1]).toBeCloseTo(0.16 / 0.52, 6);
    expect(sharp[2]).toBe(0);
    const flat = withTemperature(Float32Array.from([0.9, 0.1]), 2); // sqrt(0.9) : sqrt(0.1)
    expect(flat[0]).toBeCloseTo(Math.sqrt(0.9) / (Math.sqrt(0.9) + Math.sqrt(0.1)), 6);
  });

  test('a very low temperature does not underflow: it concentrates on the most probable action', () => {
    const p = withTemperature(Float32Array.from([1e-30, 3e-30, 2e-30]), 0.001);
    expect(p.every((v) => Number.isFinite(v))).toBe(true);
    expect(p[1]).toBeCloseTo(1, 6);
  });

  test('out-of-range temperatures are refused with the option named', () => {
    expect(() => ppoAgent({ k: 4, temperature: 0 })).toThrow(/temperature=0 is the greedy rollout/);
    expect(() => ppoAgent({ k: 4, temperature: -1 })).toThrow(/agent option temperature=-1 must be a number in \[0, 10\]/);
    expect(() => ppoAgent({ k: 4, temperature: 'hot' })).toThrow(/temperature=hot/);
  });
});
