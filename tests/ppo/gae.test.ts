import { gae } from '../../agents/ppo/ppo';

test('gae() matches a hand-worked example with an episode boundary and two environments', () => {
  // Storage (num_steps=3, num_envs=2), row-major: index t*2 + e.
  // Env 0: rewards 1, 0, 2; values 0.5, 0.4, 0.3; the observation at t=2 starts a new episode
  // (dones[2] = 1); after the last step V = 0.6 and the episode goes on.
  // Env 1: one reward of 1 at the last step, values 0, and the episode ends after it.
  const rewards = Float32Array.from([1, 0, 0, 0, 2, 1]);
  const values = Float32Array.from([0.5, 0, 0.4, 0, 0.3, 0]);
  const dones = Float32Array.from([1, 1, 0, 0, 1, 0]);
  const { advantages, returns } = gae({ rewards, values, dones }, [0.6, 5], [0, 1], 3, 2, 0.9, 0.8);
  // Env 0: δ2 = 2 + 0.9·0.6 − 0.3 = 2.24; δ1 = 0 − 0.4 (no bootstrap across the boundary) = −0.4,
  // A1 = −0.4; δ0 = 1 + 0.9·0.4 − 0.5 = 0.86, A0 = 0.86 + 0.72·(−0.4) = 0.572.
  // Env 1: A2 = 1 (terminal: the next value 5 is ignored), A1 = 0.72, A0 = 0.72² = 0.5184.
  const expected = [0.572, 0.5184, -0.4, 0.72, 2.24, 1];
  expected.forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 5));
  expected.forEach((a, i) => expect(returns[i]).toBeCloseTo(a + values[i], 5));
});
