// tests/setup/fresh-state.ts clears the app's process-wide state by name between test files that
// share a process: these are the names it relies on.
import { describe, expect, it } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { contentVersion } from '~/modules/content/version.server'
import { setDatabase, type Database } from './db.server'
import { getEnv, resetEnvCache } from './env.server'

const names = () => [...((globalThis as unknown as { __bansoSingletons?: Map<string, unknown> }).__bansoSingletons?.keys() ?? [])]

describe('the process-wide state tests/setup/fresh-state.ts resets', () => {
  it('is kept under env, database, content-store and content-version', () => {
    getEnv()
    setDatabase({} as Database)
    setContentStore({} as Parameters<typeof setContentStore>[0])
    contentVersion()
    expect(names()).toEqual(expect.arrayContaining(['env', 'database', 'content-store', 'content-version']))
    setDatabase(undefined)
    setContentStore(undefined)
    resetEnvCache()
    expect(names()).not.toContain('env')
  })
})
