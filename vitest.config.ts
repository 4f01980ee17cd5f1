import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge crashes under worker threads; forks give each file its own process.
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
