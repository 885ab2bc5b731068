import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// CI machines are shared and slow: one retry, reported as flaky, never silent.
const retry = process.env.CI ? 1 : 0

// Tests import the workspace packages from source, so they need no build.
const alias = {
  '@stratum/pixel/identity': fileURLToPath(new URL('./pixel/src/identity/index.ts', import.meta.url)),
}

/**
 * One vitest run covers both packages. Tests sit beside the code they test
 * (`x.test.ts`). The collector's API tests run on embedded PGlite by default and
 * on a PostgreSQL server when `DATABASE_URL` is set.
 */
export default defineConfig({
  test: {
    projects: [
      { resolve: { alias }, test: { retry, name: 'pixel', include: ['pixel/src/**/*.test.ts', 'pixel/e2e/**/*.test.ts'], environment: 'node' } },
      // The console's pure modules; its pages are covered by collector/e2e/console*.spec.ts.
      { resolve: { alias }, test: { retry, name: 'console', include: ['collector/console/src/**/*.test.ts'], environment: 'node' } },
      {
        resolve: { alias },
        test: {
          retry,
          name: 'collector',
          include: ['collector/src/**/*.test.ts', 'collector/bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
