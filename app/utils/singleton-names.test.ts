// tests/setup/fresh-state.ts clears the app's process-wide state by name between test files that
// share a process: these are the names it relies on.
import { describe, expect, it } from 'vitest'
import { forgetProviderConfiguration, providerConfiguration } from '~/modules/auth/oidc.server'
import { servedContentVersion } from '~/modules/content/reload.server'
import { setContentStore } from '~/modules/content/service.server'
import { contentVersion } from '~/modules/content/version.server'
import { setDatabase, type Database } from './db.server'
import { getEnv, resetEnvCache } from './env.server'

const names = () => [...((globalThis as unknown as { __bansoSingletons?: Map<string, unknown> }).__bansoSingletons?.keys() ?? [])]

describe('the process-wide state tests/setup/fresh-state.ts resets', () => {
  it('is kept under env, database, content-store, content-version, content-reload and oidc-discovery', async () => {
    getEnv()
    setDatabase({} as Database)
    setContentStore({} as Parameters<typeof setContentStore>[0])
    contentVersion()
    servedContentVersion()
    // Discovery of a provider nobody listens for: the entry exists while it is under way.
    const discovery = providerConfiguration({ issuer: 'http://127.0.0.1:9/', clientId: 'x', clientSecret: undefined, scopes: ['openid'], displayName: 'x', redirectUri: undefined })
    expect(names()).toEqual(expect.arrayContaining(['env', 'database', 'content-store', 'content-version', 'content-reload', 'oidc-discovery']))
    await discovery.catch(() => undefined)
    forgetProviderConfiguration()
    setDatabase(undefined)
    setContentStore(undefined)
    resetEnvCache()
    expect(names()).not.toContain('env')
  })
})
