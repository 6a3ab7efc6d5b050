// `npm run test:reliability`: the reliability tests too slow for every `npm test` (a PostgreSQL
// server of their own, stopped and started under load). CI runs them (TEST_RELIABILITY=1 in
// tests/run-all.sh). The quick reliability tests (fuzzing, XSS, IDOR, races) are in npm test.
import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '~': path.resolve('app') }

export default defineConfig({
  resolve: { alias },
  // npm test runs these beside another Vitest run (the embedded step): a cache of their own, so the
  // two never write the same results file.
  cacheDir: 'node_modules/.vite-reliability',
  test: {
    name: 'reliability',
    include: ['tests/reliability/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/setup/fail-on-console-error.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
})
