import path from 'node:path'
import { defineConfig } from 'vitest/config'
import LongestFirst from './tests/setup/sequencer'

const alias = { '~': path.resolve('app') }

/**
 * Integration tests that also run on the embedded database (PGlite, one connection), the mode a
 * newcomer starts with, when the integration project runs on PostgreSQL (DATABASE_URL set): the
 * features whose transactions differ most between the two. A project of the same run, so these
 * files fill the workers beside the others instead of running after them.
 */
export const EMBEDDED_FILES = [
  'tests/integration/roster-import.test.ts',
  'tests/integration/training-checks.test.ts',
  'tests/integration/report.test.ts',
  'tests/integration/report-pages.test.ts',
  'tests/integration/learning.test.ts',
  'tests/integration/certificates.test.ts',
  'tests/integration/xapi.test.ts',
  'tests/integration/hr-export.test.ts',
  'tests/integration/training.test.ts',
  'tests/integration/jobs.test.ts',
  'tests/integration/oidc.test.ts',
  'tests/integration/content-reload.test.ts',
]
const onPostgres = Boolean(process.env.DATABASE_URL?.trim())

/**
 * Integration files that keep a process of their own each (isolate: true): the four parts of the
 * HTTP fuzz import one module that registers their tests, which a shared process would import once.
 * Long files, so the import saved by sharing would be small anyway.
 */
const ISOLATED_FILES = [
  'tests/integration/reliability-fuzz.test.ts',
  'tests/integration/reliability-fuzz-part2.test.ts',
  'tests/integration/reliability-fuzz-part3.test.ts',
  'tests/integration/reliability-fuzz-part4.test.ts',
]

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
          // Pure modules: the files of a worker share one module graph instead of importing it
          // again each (the unit run: 38 → 28 CPU-s, 21 → 15 s). Integration files keep their
          // isolation: each sets the database and content store of its process.
          isolate: false,
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
          // A file scan or a pool of Argon2 workers takes 1 s quiet and more than 5 s on two busy cores.
          testTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ISOLATED_FILES,
          environment: 'node',
          // The files of a worker share one module graph (the app, Prisma, React, the Remix build)
          // instead of importing it again each: 22 small files took 92 CPU-s isolated, 43 shared.
          // tests/setup/fresh-state.ts puts back the app's process-wide state before each file.
          isolate: false,
          setupFiles: ['tests/setup/fresh-state.ts', 'tests/setup/fail-on-console-error.ts'],
          // Each file makes its own database; PGlite start-up and Argon2 take seconds, and a
          // start of the whole app (migrate, seed, content) took more than 60 s on two cores at a
          // load average of 29. A limit only stops a hung test; it is not a measure of speed.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration-isolated',
          include: ISOLATED_FILES,
          environment: 'node',
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
          // Each file makes its own database; PGlite start-up and Argon2 take seconds, and a
          // start of the whole app (migrate, seed, content) took more than 60 s on two cores at a
          // load average of 29. A limit only stops a hung test; it is not a measure of speed.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      ...(onPostgres
        ? [
            {
              resolve: { alias },
              test: {
                name: 'embedded',
                include: EMBEDDED_FILES,
                environment: 'node',
                isolate: false,
                setupFiles: ['tests/setup/fresh-state.ts', 'tests/setup/fail-on-console-error.ts'],
                // An empty DATABASE_URL is "not set" (app/utils/env.server.ts, tests/setup/test-database.ts).
                env: { DATABASE_URL: '' },
                testTimeout: 180_000,
                hookTimeout: 300_000,
              },
            },
          ]
        : []),
    ],
  },
})
