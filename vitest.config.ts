import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources, so tests never need a build step.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/test/unit/**/*.test.ts'], exclude: ['**/node_modules/**'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/test/integration/**/*.test.ts', '**/test/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // Two cores: more forks than this only adds contention (Argon2, PostgreSQL, Redis share them).
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
