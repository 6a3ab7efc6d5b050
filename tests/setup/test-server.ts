// The app's real HTTP stack (Express + the production Remix build) in the test process, on a
// fresh migrated and seeded database, with a small cookie-keeping client.
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpApp } from '~/server/http'
import { setDatabase } from '~/utils/db.server'
import { parseEnv } from '~/utils/env.server'
import { openSeededDatabase, type TestDatabase } from './test-database'

export interface TestServer {
  base: string
  t: TestDatabase
  close(): Promise<void>
}

/**
 * Tests post far more often, from one address, than people do (the fuzz sweeps, the many sign-ups):
 * their servers get large budgets. The limiter still runs and counts every POST; its real budgets
 * are checked in tests/integration/rate-limit.test.ts.
 */
export const TEST_RATE_LIMITS = {
  RATE_LIMIT_POSTS_PER_MINUTE_IP: '1000000',
  RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '1000000',
  RATE_LIMIT_SIGNUPS_PER_HOUR_IP: '1000000',
  RATE_LIMIT_UPLOADS_PER_HOUR: '1000000',
}

/** The production build behind the app's Express server, on a free loopback port. */
export async function listenProductionApp(env: Record<string, string> = {}): Promise<{ server: Server; base: string }> {
  if (!fs.existsSync('build/server/index.js')) throw new Error('Run `npm run build` first (npm test does).')
  // The personal facts cache is off unless a test asks for it: tests write rows directly and read
  // pages at once, before the database's notification may have arrived (personal-facts-cache.test.ts
  // and personal-pages.test.ts test it, waiting for it where another person's write is involved).
  const app = await createHttpApp({ env: parseEnv({ LOG_REQUESTS: 'false', PERSONAL_FACTS_SECONDS: '0', ...TEST_RATE_LIMITS, ...env }), build: { kind: 'production', buildDir: 'build' } })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

export async function startTestServer({ demo = true, env }: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestServer> {
  // A copy of the run's seeded template: the same rows as `seed(prisma, { SEED_DEMO: demo })`.
  const t = await openSeededDatabase({ demo })
  setDatabase(t.db)
  const { server, base } = await listenProductionApp(env)
  return {
    base,
    t,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      setDatabase(undefined)
      await t.dispose()
    },
  }
}

/** A browser-like client: keeps cookies, sends this site's Origin on POST, never follows redirects. */
export class Browser {
  cookies = new Map<string, string>()
  constructor(readonly base: string) {}

  private store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()))
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async get(path: string): Promise<Response> {
    const response = await fetch(this.base + path, { headers: { Cookie: this.cookieHeader() }, redirect: 'manual' })
    this.store(response)
    return response
  }

  /** A form post; a field given as an array is sent once per value (checkboxes of one name). */
  async post(path: string, fields: Record<string, string | string[]>, { origin = this.base }: { origin?: string | null } = {}): Promise<Response> {
    const headers: Record<string, string> = { Cookie: this.cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' }
    if (origin !== null) headers.Origin = origin
    const body = new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string])))
    const response = await fetch(this.base + path, { method: 'POST', headers, body, redirect: 'manual' })
    this.store(response)
    return response
  }

  /** A multipart upload, as a browser's file form sends it. */
  async upload(path: string, fields: Record<string, string | { name: string; bytes: Uint8Array; type?: string }>): Promise<Response> {
    const form = new FormData()
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === 'string') form.append(key, value)
      else form.append(key, new Blob([value.bytes as BlobPart], { type: value.type ?? 'application/octet-stream' }), value.name)
    }
    const response = await fetch(this.base + path, { method: 'POST', headers: { Cookie: this.cookieHeader(), Origin: this.base }, body: form, redirect: 'manual' })
    this.store(response)
    return response
  }

  async signIn(identifier: string, password: string): Promise<Response> {
    return this.post('/login', { identifier, password })
  }
}

/** The visible text of an HTML page, roughly: enough to assert on messages. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}
