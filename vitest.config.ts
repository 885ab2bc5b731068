import { defineConfig } from 'vitest/config'

/**
 * One vitest run covers both packages. Tests sit beside the code they test
 * (`x.test.ts`). The collector's API tests run on embedded PGlite by default and
 * on a PostgreSQL server when `DATABASE_URL` is set.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'pixel', include: ['pixel/src/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'collector',
          include: ['collector/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
