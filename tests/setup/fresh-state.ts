// Integration test files share their worker's modules (isolate: false, vitest.config.ts): before
// each file's own hooks, this puts back what an earlier file may have left in the app's
// process-wide state (app/utils/singleton.server.ts), so each file starts as in a fresh process.
// It imports nothing of the app: Vitest runs a setup file again for every test file, with what it
// imports, which cost 0.6 s a file (65 s in a run) when this imported the app's modules. New
// process-wide state belongs here; variables a file needs go through tests/setup/env.ts (withFileEnv).
import { beforeAll } from 'vitest'

const singletons = globalThis as unknown as { __bansoSingletons?: Map<string, unknown> }
const version = () => singletons.__bansoSingletons?.get('content-version') as { n: number } | undefined

beforeAll(() => {
  // The parsed environment, the database, the content store and the discovered OpenID Connect
  // provider of an earlier file (names as in app/utils/env.server.ts, app/utils/db.server.ts,
  // app/modules/content/service.server.ts, app/modules/auth/oidc.server.ts).
  for (const name of ['env', 'database', 'content-store', 'oidc-discovery']) singletons.__bansoSingletons?.delete(name)
  // Pages rendered from the earlier store are stale (as setContentStore does).
  const v = version()
  if (v) v.n++
  // The database content version the earlier file's process served (app/modules/content/reload.server.ts):
  // reset in place, as modules already loaded hold this object.
  const reload = singletons.__bansoSingletons?.get('content-reload') as { version: number; hash: string; mismatch?: unknown } | undefined
  if (reload) Object.assign(reload, { version: 0, hash: '', mismatch: undefined })
})
