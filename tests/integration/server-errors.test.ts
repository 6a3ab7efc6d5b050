// When the database stops answering: /healthz says 503, and pages show the Vietnamese error page
// (500) without leaking a stack trace. Runs the real production build in this process.
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { setDatabase } from '~/utils/db.server'
import { openMigratedDatabase } from '../setup/test-database'
import { listenProductionApp } from '../setup/test-server'

let server: Server
let base = ''

beforeAll(async () => {
  const t = await openMigratedDatabase()
  await t.dispose() // closed: every query now fails
  setDatabase(t.db)
  const listening = await listenProductionApp()
  server = listening.server
  base = listening.base
})

afterAll(() => {
  server?.close()
  setDatabase(undefined)
})

describe('with the database gone', () => {
  it('/healthz answers 503', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await fetch(`${base}/healthz`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 'error', database: 'unavailable' })
    expect(logged).toHaveBeenCalled()
  })

  it('a page answers 500 with the Vietnamese error page and no stack trace', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await fetch(`${base}/`)
    expect(response.status).toBe(500)
    const html = await response.text()
    expect(html).toContain('<html lang="vi">')
    expect(html).toContain('Đã có lỗi xảy ra')
    expect(html).toContain('Mã lỗi<!-- --> <!-- -->500')
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/)
    expect(logged).toHaveBeenCalled() // the error is logged on the server instead
    expect(response.headers.get('content-security-policy')).toBeTruthy()
  })
})
