import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkOrigin, contentSecurityPolicy, requestLog, securityHeaders } from './security'

const lines: string[] = []
let base = ''
let close: () => void

beforeAll(async () => {
  const app = express()
  app.use(securityHeaders({ dev: false }))
  app.use(requestLog((line) => lines.push(line)))
  app.use(checkOrigin({}))
  app.all('/form', (_req, res) => res.send('ok'))
  await new Promise<void>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      close = () => server.close()
      resolve()
    })
  })
})
afterAll(() => close())

describe('Origin check', () => {
  const post = (headers: Record<string, string>) => fetch(`${base}/form`, { method: 'POST', headers, redirect: 'manual' })

  it('lets a form of this site through', async () => {
    expect((await post({ Origin: base })).status).toBe(200)
    expect((await post({ Referer: `${base}/some/page?x=1` })).status).toBe(200)
  })

  it('refuses a foreign or missing origin with 403, in Vietnamese', async () => {
    const foreign = await post({ Origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(await foreign.text()).toContain('Yêu cầu bị từ chối')
    expect((await post({})).status).toBe(403)
    expect((await post({ Origin: 'null' })).status).toBe(403)
    expect((await post({ Referer: 'https://evil.example/' })).status).toBe(403)
    // Another port on the same host is another origin.
    expect((await post({ Origin: base.replace(/:\d+$/, ':1') })).status).toBe(403)
  })

  it('leaves reads alone', async () => {
    expect((await fetch(`${base}/form`, { headers: { Origin: 'https://evil.example' } })).status).toBe(200)
  })
})

describe('security headers and request log', () => {
  it('sets the CSP with a fresh nonce, and the other headers, on every response', async () => {
    const a = await fetch(`${base}/form`)
    const b = await fetch(`${base}/form`)
    const csp = a.headers.get('content-security-policy')!
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toBe(b.headers.get('content-security-policy'))
    expect(a.headers.get('x-content-type-options')).toBe('nosniff')
    expect(a.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(a.headers.get('x-frame-options')).toBe('DENY')
    expect(a.headers.get('x-powered-by')).toBeNull()
  })

  it('upgrades insecure requests only over HTTPS', () => {
    expect(contentSecurityPolicy({ nonce: 'n', dev: false, https: true })).toContain('upgrade-insecure-requests')
    expect(contentSecurityPolicy({ nonce: 'n', dev: false, https: false })).not.toContain('upgrade-insecure-requests')
  })

  it('lets forms end up at the sign-in provider only when one is named', () => {
    expect(contentSecurityPolicy({ nonce: 'n', dev: false, https: true })).toContain("form-action 'self';")
    expect(contentSecurityPolicy({ nonce: 'n', dev: false, https: true, formTargets: ['https://id.laocai.gov.vn'] })).toContain(
      "form-action 'self' https://id.laocai.gov.vn;",
    )
  })

  it('logs method, path without the query, status and time', async () => {
    lines.length = 0
    await fetch(`${base}/form?token=secret`)
    await new Promise((r) => setTimeout(r, 20))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^GET \/form 200 \d+\.\dms$/)
    expect(lines[0]).not.toContain('secret')
  })
})
