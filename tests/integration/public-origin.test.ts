// A forged Host header (no APP_ORIGIN: the newcomer's setup) through the real HTTP stack: it never
// reaches the anonymous lesson page that the server caches and serves to everyone, and it cannot
// grow the offline-pack disk cache beyond its bound (PACK_CACHE_MAX_FILES).
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser } from '../setup/test-server'

// Read by the build's getEnv() at its first use, i.e. after this.
process.env.PACK_CACHE_MAX_FILES = '3'
delete process.env.APP_ORIGIN

let server: LearningServer
let packRoot = ''
const LESSON = '/courses/khoa-thu/bai-mot'
const FORGED = 'evil.example'

beforeAll(async () => {
  // Packs are kept in CONTENT_CACHE_DIR/packs and copy the lesson images from its media folder.
  server = await startLearningServer({ packsBesideContent: true })
  packRoot = server.cacheDir
})

afterAll(async () => {
  await server?.close()
  delete process.env.PACK_CACHE_MAX_FILES
})

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(pathname: string, host: string): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  const url = new URL(server.base)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, method: 'GET', headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('a forged Host header', () => {
  it('does not reach the cached anonymous lesson page: neither its own answer nor anyone else’s', async () => {
    // The forger comes first, on a cold cache: what they get is what is kept.
    const forged = await getWithHost(LESSON, FORGED)
    expect(forged.status).toBe(200)
    expect(forged.body.toString('utf8')).not.toContain(FORGED)
    const next = await getWithHost(LESSON, `127.0.0.1:${new URL(server.base).port}`)
    expect(next.status).toBe(200)
    expect(next.headers.etag, 'served from the page cache').toBeTruthy()
    const html = next.body.toString('utf8')
    expect(html).not.toContain(FORGED)
    // The attribution line still names the lesson's address, site-relative.
    expect(html).toContain(`${LESSON}`)
  })

  it('a signed-in person sees the full address of the lesson in the attribution (their own answer, never cached)', async () => {
    const browser = new Browser(server.base)
    expect((await browser.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    const html = await (await browser.get(LESSON)).text()
    expect(html).toContain(`${server.base}${LESSON}`)
  })

  it('cannot grow the offline-pack cache beyond PACK_CACHE_MAX_FILES', async () => {
    const packs = path.join(packRoot, 'packs')
    for (let i = 0; i < 6; i++) {
      const response = await getWithHost('/courses/khoa-thu/offline.zip', `forged-${i}.example`)
      expect(response.status, `pack ${i}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200)
      expect(response.body.subarray(0, 2).toString('latin1')).toBe('PK')
      expect(fs.readdirSync(packs).filter((f) => f.endsWith('.zip')).length).toBeLessThanOrEqual(3)
    }
    // The pack of the real address is built and served as ever.
    const own = await getWithHost('/courses/khoa-thu/offline.zip', `127.0.0.1:${new URL(server.base).port}`)
    expect(own.status).toBe(200)
    expect(fs.readdirSync(packs).filter((f) => f.endsWith('.zip')).length).toBeLessThanOrEqual(3)
  })
})
