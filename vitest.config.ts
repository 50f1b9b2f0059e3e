import { defineConfig } from 'vitest/config';
import SummaryLineReporter from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', new SummaryLineReporter()],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'] },
      },
      {
        // The portal in Chromium against a real Kouan (test/e2e/support.ts); the portal is built first if needed.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/global-setup.ts'], testTimeout: 90_000, hookTimeout: 120_000 },
      },
    ],
  },
});
