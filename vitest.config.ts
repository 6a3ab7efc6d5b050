import path from 'node:path'
import { defineConfig } from 'vitest/config'
import LongestFirst from './tests/setup/sequencer'

const alias = { '~': path.resolve('app') }

export default defineConfig({
  resolve: { alias },
  test: {
    // Test files run in parallel, each in its own process with its own database (a uniquely named
    // one on PostgreSQL, a PGlite folder of its own) and its own server on a free port. Much of a
    // file's time is waiting on PostgreSQL, Argon2 or a child process, so three at a time keep two
    // cores busy (Vitest's default, cores − 1, would run one file at a time here).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 3,
    // With DATABASE_URL: the test files' databases are dropped here, off the files' own time.
    globalSetup: ['tests/setup/global-database.ts'],
    // The longest files first, unit and integration mixed (tests/setup/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['app/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
          // A file scan or a pool of Argon2 workers takes 1 s quiet and more than 5 s on two busy cores.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
          // Each file makes its own database; PGlite start-up and Argon2 take seconds.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
