import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // picocolors turns colour on when CI is set; tests assert on plain text.
    env: { NO_COLOR: '1' },
  },
});
