// Browser tests on a system Chromium (Playwright cannot download its own browser here).
// CHROMIUM_PATH overrides /usr/bin/chromium; when neither exists, Playwright's own browser is used
// (tests/ensure-chromium.sh installs one of them before the tests, or says how).
import fs from 'node:fs'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.E2E_PORT ?? 3210)
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const executablePath = fs.existsSync(chromiumPath) ? chromiumPath : undefined
const dataDir = path.resolve(`tests/.tmp/e2e-pglite-${PORT}`)

export default defineConfig({
  testDir: 'tests/e2e',
  // Generous: the browser tests run beside the Vitest run on two busy cores (tests/run-all.sh); a limit
  // only stops a hung test, it is not a measure of speed.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: Number(process.env.E2E_WORKERS) || 2,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The app as `npm start` runs it. On the embedded database it starts from an empty folder;
    // with DATABASE_URL it uses that (CI gives it a fresh database).
    command: `rm -rf "${dataDir}" && node --import tsx app/server/start.ts`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    // Migrate, seed and compile the content: a minute quiet, several on a heavily loaded machine.
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // Demo accounts (the README's) are needed by the tests in both modes; NODE_ENV=test lets them
    // be seeded on PostgreSQL too, which production forbids.
    // The tests sign up many accounts and post far more than a person, all from 127.0.0.1: large
    // budgets (the limiter still runs; tests/integration/rate-limit.test.ts checks it at low ones).
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      PGLITE_DATA_DIR: dataDir,
      LOG_REQUESTS: 'false',
      NODE_ENV: 'test',
      SEED_DEMO: 'true',
      RATE_LIMIT_POSTS_PER_MINUTE_IP: '1000000',
      RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '1000000',
      RATE_LIMIT_SIGNUPS_PER_HOUR_IP: '1000000',
      RATE_LIMIT_UPLOADS_PER_HOUR: '1000000',
    },
  },
})
