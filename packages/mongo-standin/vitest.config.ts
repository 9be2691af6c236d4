import { defineConfig } from 'vitest/config';

// The package's own tests, run alone (`npm test` here); the project's suite runs them too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
