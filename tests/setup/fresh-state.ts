// Integration test files share their worker's modules (isolate: false, vitest.config.ts): before
// each file's own hooks, this puts back what an earlier file may have left in the app's
// process-wide state, so each file starts as in a fresh process. New process-wide state in the
// app belongs here; variables a file needs go through tests/setup/env.ts (withFileEnv).
import { beforeAll } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { setDatabase } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'

beforeAll(() => {
  resetEnvCache()
  setDatabase(undefined)
  setContentStore(undefined)
})
