// A forged Host header (no APP_ORIGIN: the newcomer's setup) through the real HTTP stack: it never
// reaches the anonymous lesson page that the server caches and serves to everyone, nor an offline
// pack or a certificate file (PDF, PNG and its QR code, the signed credential): those name the
// address the connection reached. It cannot grow the offline-pack disk cache beyond its bound.
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { strFromU8, unzipSync } from 'fflate'
import jsQR from 'jsqr'
import { PDFDocument, PDFRawStream } from 'pdf-lib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAttempt } from '~/modules/quiz/attempt.server'
import { issuePassedCertificate } from '../setup/certificate-fixture'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { withFileEnv } from '../setup/env'
import { Browser } from '../setup/test-server'

// Read by the build's getEnv() at its first use, i.e. after this.
const certificateCache = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-origin-cert-'))
withFileEnv({ PACK_CACHE_MAX_FILES: '3', APP_ORIGIN: undefined, CERTIFICATE_CACHE_DIR: certificateCache })

let server: LearningServer
let packRoot = ''
const LESSON = '/courses/khoa-thu/bai-mot'
const FORGED = 'evil.example'

beforeAll(async () => {
  // Packs are kept in CONTENT_CACHE_DIR/packs and copy the lesson images from its media folder.
  server = await startLearningServer({ packsBesideContent: true, cleanUp: [certificateCache] })
  packRoot = server.cacheDir
})

afterAll(async () => {
  await server?.close()
})

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(pathname: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  const url = new URL(server.base)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, method: 'GET', headers: { ...headers, Host: host } }, (res) => {
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

  it('never reaches an offline pack: its links name the address the connection reached', async () => {
    const response = await getWithHost('/courses/khoa-thu/offline.zip', FORGED)
    expect(response.status).toBe(200)
    const files = unzipSync(new Uint8Array(response.body))
    const text = Object.values(files).map((bytes) => strFromU8(bytes)).join('\n')
    expect(text).not.toContain(FORGED)
    expect(text).toContain(`${server.base}/courses/khoa-thu/bai-mot`) // the attribution's address, absolute and true
  })

  it('cannot grow the offline-pack cache: forged hosts all get the one pack of the real address', async () => {
    const packs = path.join(packRoot, 'packs')
    const zips = () => fs.readdirSync(packs).filter((f) => f.endsWith('.zip'))
    const bodies = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const response = await getWithHost('/courses/khoa-thu/offline.zip', `forged-${i}.example`)
      expect(response.status, `pack ${i}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200)
      expect(response.body.subarray(0, 2).toString('latin1')).toBe('PK')
      bodies.add(response.body.toString('base64'))
    }
    expect(bodies.size, 'one pack for every forged host').toBe(1)
    const own = await getWithHost('/courses/khoa-thu/offline.zip', `127.0.0.1:${new URL(server.base).port}`)
    expect(own.status).toBe(200)
    expect(bodies.has(own.body.toString('base64')), 'and it is the pack of the real address').toBe(true)
    // Pruning runs after the answer, asynchronously: give it time on a loaded machine.
    await expect.poll(() => zips().length, { timeout: 30_000, interval: 100 }).toBeLessThanOrEqual(3)
  })
})

describe('a forged Host header and the certificate files', () => {
  let id = ''
  let code = ''
  let cookie = ''

  beforeAll(async () => {
    const prisma = server.t.db.prisma
    const learner = await prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    await startAttempt({ userId: learner.id, courseSlug: 'khoa-thu' }, prisma)
    const certificate = await issuePassedCertificate(prisma, learner.id)
    id = certificate.id
    code = certificate.code
    const browser = new Browser(server.base)
    expect((await browser.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  })

  const verifyUrl = () => `${server.base}/verify/${code}`

  it('the PNG’s QR code is the real verification address', async () => {
    const response = await getWithHost(`/certificates/${id}/png`, FORGED, { Cookie: cookie })
    expect(response.status).toBe(200)
    const { data, info } = await sharp(response.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(verifyUrl())
  })

  it('the PDF holds no forged host, in its text or its QR code', async () => {
    const response = await getWithHost(`/certificates/${id}/pdf`, FORGED, { Cookie: cookie })
    expect(response.status).toBe(200)
    const pdf = await PDFDocument.load(new Uint8Array(response.body))
    // Every stream, inflated where it is compressed: the page text, the fonts, the QR image.
    const streams = [...pdf.context.enumerateIndirectObjects()].map(([, o]) => o).filter((o): o is PDFRawStream => o instanceof PDFRawStream)
    const text = streams.map((s) => {
      try {
        return zlib.inflateSync(s.contents).toString('latin1')
      } catch {
        return Buffer.from(s.contents).toString('latin1')
      }
    })
    expect(text.join('\n') + response.body.toString('latin1')).not.toContain(FORGED)
  })

  it('the signed credential names the real address', async () => {
    const response = await getWithHost(`/certificates/${id}/jwt`, FORGED, { Cookie: cookie })
    expect(response.status).toBe(200)
    const payload = JSON.parse(Buffer.from(response.body.toString('utf8').split('.')[1]!, 'base64url').toString('utf8')) as { jti: string }
    expect(payload.jti).toBe(verifyUrl())
    expect(JSON.stringify(payload)).not.toContain(FORGED)
  })

  it('a forged host draws no certificate file of its own: the cache holds one per format', async () => {
    for (let i = 0; i < 4; i++) expect((await getWithHost(`/certificates/${id}/png`, `forged-${i}.example`, { Cookie: cookie })).status).toBe(200)
    expect(fs.readdirSync(certificateCache).filter((f) => f.endsWith('.png'))).toHaveLength(1)
  })
})
