module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The `./testUtils` entry point re-exports test harnesses (__testUtils__) for other
      // packages' tests and the benchmarks: test code, never imported by production code.
      files: ['src/testUtils/**'],
      rules: { 'no-restricted-imports': 'off' },
    },
  ],
});
