import { bucketOf, evaluationSplit, idsInSplit, splitOf, splitOfUri } from '../../env/datasets/splits';

describe('dataset splits', () => {
  test('whole datasets have one split each; apps-v0 is the test set', () => {
    expect(splitOf('apps-v0', 'sqlite3')).toBe('test');
    expect(splitOf('libs-v0', 'zlib.deflate')).toBe('train');
    expect(splitOfUri('generator://csmith-v0/12')).toBe('train');
    expect(splitOfUri('benchmark://embedded-v0/qsort')).toBe('validation');
    expect(splitOfUri('file:///tmp/x.ll')).toBeNull();
  });

  test('torture-v0 is split by a hash of the id, about 70/10/20', () => {
    const ids = Array.from({ length: 2000 }, (_, k) => `prog-${k}`);
    const count = (s: string) => ids.filter((id) => splitOf('torture-v0', id) === s).length;
    expect(count('train') / 2000).toBeCloseTo(0.7, 1);
    expect(count('validation') / 2000).toBeCloseTo(0.1, 1);
    expect(count('test') / 2000).toBeCloseTo(0.2, 1);
    // Pinned (computed independently with Python's hashlib): a change here would move programs between splits.
    expect(bucketOf('20000112-1')).toBe(4);
    expect(bucketOf('pr34971')).toBe(3);
  });

  test('asking for a split a dataset does not have names the ones it has', () => {
    expect(() => idsInSplit('libs-v0', ['zlib.deflate'], 'test')).toThrow(/libs-v0 has no test split; it has: train/);
  });

  test('a leaderboard scores test where there is one, else validation; all-train datasets have none', () => {
    expect(evaluationSplit('apps-v0')).toBe('test');
    expect(evaluationSplit('torture-v0')).toBe('test');
    expect(evaluationSplit('embedded-v0')).toBe('validation');
    expect(evaluationSplit('libs-v0')).toBeNull();
    expect(evaluationSplit('csmith-v0')).toBeNull();
  });
});
