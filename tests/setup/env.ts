// Environment variables for one test file, as the app reads them (getEnv, parsed once per
// process). Integration test files share their worker's process (isolate: false, vitest.config.ts)
// and a worker collects all its files before running any, so a file never sets process.env at its
// top level: it calls withFileEnv, which sets the variables before the file's own beforeAll and puts
// back the previous values after its afterAll.
import { afterAll, beforeAll } from 'vitest'
import { resetEnvCache } from '~/utils/env.server'

export function withFileEnv(vars: Record<string, string | undefined>): void {
  const saved: Record<string, string | undefined> = {}
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    resetEnvCache()
  }
  beforeAll(() => {
    for (const name of Object.keys(vars)) saved[name] = process.env[name]
    apply(vars)
  })
  afterAll(() => apply(saved))
}
