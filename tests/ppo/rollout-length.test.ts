import { policyHistory, ppoAgent } from '../../agents/ppo/agent';

describe('policy-guided search rollouts longer than the horizon', () => {
  test('the policy sees the actions since its current episode began (every horizon steps)', () => {
    expect(policyHistory([], 3)).toEqual([]);
    expect(policyHistory([5, 6], 3)).toEqual([5, 6]);
    expect(policyHistory([5, 6, 7], 3)).toEqual([]);
    expect(policyHistory([5, 6, 7, 8, 9], 3)).toEqual([8, 9]);
  });

  test('a length that is not a positive integer is refused with the option named', () => {
    expect(() => ppoAgent({ k: 4, length: 0 })).toThrow(/agent option length=0 must be a number in \[1, Infinity\]/);
    expect(() => ppoAgent({ k: 4, length: 2.5 })).toThrow(/agent option length=2.5 must be an integer/);
    expect(() => ppoAgent({ k: 4, lenght: 90 })).toThrow(/unknown option lenght/);
  });
});
