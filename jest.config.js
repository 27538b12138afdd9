// Jest runs the tests that tsc compiled into dist/: the worker processes the tests start are the
// same compiled JavaScript, so one compiler (tsc) produces everything that runs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/tests'],
  testMatch: ['**/*.test.js'],
  testTimeout: 120000,
  maxWorkers: 2,
  // Jest's transform cache in the checkout (git-ignored), not a jest_0 folder in $TMPDIR.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
