// Certificates through the real HTTP stack with the fixture course (two lessons, a four-question
// final quiz, validity 24 months): issued exactly once per completion even when completions race,
// numbered uniquely, verified publicly in each status, downloadable (PDF, PNG, signed credential)
// by the holder, their agency manager and admins only, revocable by admins, renewable.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import jsQR from 'jsqr'
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib'
import sharp from 'sharp'
import { extractText, getDocumentProxy } from 'unpdf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withFileEnv } from '../setup/env'

// Before anything reads the environment: generated files go to a folder of this test.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-cert-cache-'))
withFileEnv({ CERTIFICATE_CACHE_DIR: cacheDir })

const { setContentStore } = await import('~/modules/content/service.server')
const { issueCertificate } = await import('~/modules/certificate/issue.server')
const { RIGHT, startLearningContent } = await import('../setup/learning-fixture')
const { Browser, startTestServer, textOf } = await import('../setup/test-server')

type TestServer = Awaited<ReturnType<typeof startTestServer>>
let server: TestServer
const dirs: string[] = [cacheDir]
const COURSE = '/courses/khoa-thu'
const QUIZ = `${COURSE}/quiz`
const HOLDER = 'Nguyễn Thị Hương'

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir: contentCache } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, contentCache)
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const db = () => server.t.db.prisma

async function signedIn(email = 'hocvien@banso.example', password = 'HocVien@2026') {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

const learner = () => signedIn()
const teacher = () => signedIn('giaovien@banso.example', 'GiaoVien@2026')
const manager = () => signedIn('quanly@banso.example', 'QuanLy@2026')
const admin = () => signedIn('quantri@banso.example', 'QuanTri@2026')

async function resetLearning() {
  await db().certificate.updateMany({ data: { supersededById: null } })
  await db().certificate.deleteMany()
  await db().courseCompletion.deleteMany()
  await db().quizAnswer.deleteMany()
  await db().quizAttempt.deleteMany()
  await db().lessonProgress.deleteMany()
  await db().enrolment.deleteMany()
}

/** Starts an attempt through the page and submits the right answers. */
async function passQuiz(browser: InstanceType<typeof Browser>) {
  const started = await browser.post(QUIZ, {})
  expect(started.status).toBe(302)
  const attempt = started.headers.get('location')!
  expect((await browser.post(attempt, { ...RIGHT, intent: 'submit' })).status).toBe(302)
  return attempt
}

/** The learner completes the course: both lessons done, quiz passed. Returns their certificate. */
async function complete(browser: InstanceType<typeof Browser>) {
  await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
  await browser.post(`${COURSE}/bai-hai`, { intent: 'done' })
  await passQuiz(browser)
  return db().certificate.findFirstOrThrow({ orderBy: { issuedAt: 'desc' } })
}

describe('issuing', () => {
  beforeAll(resetLearning)

  it('issues one certificate when the course is completed, even when the last lesson is marked done six times at once', async () => {
    const browser = await learner()
    await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
    await passQuiz(browser)
    expect(await db().certificate.count()).toBe(0) // a lesson is still to do

    const responses = await Promise.all(Array.from({ length: 6 }, () => browser.post(`${COURSE}/bai-hai`, { intent: 'done' })))
    for (const r of responses) expect(r.status).toBe(302)
    expect(await db().courseCompletion.count()).toBe(1)
    const certificates = await db().certificate.findMany()
    expect(certificates).toHaveLength(1)
    const c = certificates[0]!
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
    expect(c.holderName).toBe(HOLDER)
    expect(c.agencyName).toBe('Xã Bắc Hà')
    expect(c.courseTitle).toBe(course.title)
    expect(c.courseVersion).toBe('1.0.0')
    expect(c.standardCodes).toEqual(['IU01', 'IU06'])
    expect(c.number).toMatch(/^LC-20\d\d-\d{6}$/)
    // 128 random bits in base32: 26 characters.
    expect(c.code).toMatch(/^[a-z2-7]{26}$/)
    // issue date + 24 months (validityMonths of the fixture course)
    expect(c.expiresAt!.getUTCFullYear()).toBe(c.issuedAt.getUTCFullYear() + 2)
    expect(c.expiresAt!.getUTCMonth()).toBe(c.issuedAt.getUTCMonth())
    expect(c.expiresAt!.toISOString().slice(10)).toBe(c.issuedAt.toISOString().slice(10))
  })

  it('issues one certificate when twenty submissions of the passing attempt race', async () => {
    await resetLearning()
    const browser = await learner()
    await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
    await browser.post(`${COURSE}/bai-hai`, { intent: 'done' })
    const attempt = (await browser.post(QUIZ, {})).headers.get('location')!
    const responses = await Promise.all(Array.from({ length: 20 }, () => browser.post(attempt, { ...RIGHT, intent: 'submit' })))
    for (const r of responses) expect(r.status).toBe(302)
    expect(await db().courseCompletion.count()).toBe(1)
    expect(await db().certificate.count()).toBe(1)
  })

  it('numbers certificates issued concurrently uniquely and without gaps, and issues a completion once', async () => {
    const before = await db().certificate.findMany({ select: { number: true } })
    // Ten completions of other people, issued in ten concurrent transactions.
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
    const agency = await db().agency.findFirstOrThrow({ where: { name: 'Xã Bắc Hà' } })
    const completions: string[] = []
    for (let i = 0; i < 10; i++) {
      const user = await db().user.create({ data: { fullName: `Người Thử ${i}`, email: `thu${i}@banso.example`, agencyId: agency.id, kind: 'CIVIL_SERVANT' } })
      const enrolment = await db().enrolment.create({ data: { userId: user.id, courseId: course.id } })
      const attempt = await db().quizAttempt.create({ data: { enrolmentId: enrolment.id, userId: user.id, courseId: course.id, number: 1, draw: {}, contentVersion: '1.0.0', status: 'SUBMITTED', passed: true, scorePercent: 100, submittedAt: new Date() } })
      completions.push((await db().courseCompletion.create({ data: { enrolmentId: enrolment.id, attemptId: attempt.id } })).id)
    }
    const issued = await Promise.all(completions.map((id) => db().$transaction((tx) => issueCertificate(tx, id))))
    const numbers = issued.map((c) => Number(c.number.split('-')[2])).sort((a, b) => a - b)
    expect(new Set(numbers).size).toBe(10)
    const highest = Math.max(...before.map((c) => Number(c.number.split('-')[2])))
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => highest + 1 + i))
    // Issuing a completion again returns its certificate.
    const again = await db().$transaction((tx) => issueCertificate(tx, completions[0]!))
    expect(again.id).toBe(issued[0]!.id)
    expect(await db().certificate.count({ where: { completionId: completions[0] } })).toBe(1)
    expect(new Set(issued.map((c) => c.code)).size).toBe(10)
  })
})

describe('verification', () => {
  let code = ''
  let number = ''
  beforeAll(async () => {
    await resetLearning()
    const c = await complete(await learner())
    code = c.code
    number = c.number
  })

  it('shows a valid certificate to anyone, with nothing more about the person', async () => {
    const response = await new Browser(server.base).get(`/verify/${code}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    expect(html).not.toMatch(/<script/)
    const text = textOf(html)
    for (const fact of ['Còn hiệu lực', HOLDER, 'Xã Bắc Hà', 'Khoá thử nghiệm', number, 'IU01, IU06', 'Ngày cấp', 'Có giá trị đến']) expect(text).toContain(fact)
    expect(text).not.toContain('hocvien@banso.example')
    expect(html).not.toMatch(/"userId"|hocvien@/)
  })

  it('says plainly that an unknown or malformed code is not a certificate (404)', async () => {
    for (const bad of ['aaaaaaaaaaaaaaaaaaaaaaaaaa', 'khong-phai-ma', code.slice(0, 25)]) {
      const response = await new Browser(server.base).get(`/verify/${bad}`)
      expect(response.status).toBe(404)
      expect(textOf(await response.text())).toContain('Mã xác minh này không ứng với chứng chỉ nào')
    }
  })

  it('shows an expired certificate as expired', async () => {
    const c = await db().certificate.findUniqueOrThrow({ where: { code } })
    await db().certificate.update({ where: { id: c.id }, data: { issuedAt: new Date('2024-01-02T03:00:00Z'), expiresAt: new Date('2026-01-02T03:00:00Z') } })
    const text = textOf(await (await new Browser(server.base).get(`/verify/${code}`)).text())
    expect(text).toContain('Đã hết hạn')
    expect(text).toContain('02/01/2026')
    await db().certificate.update({ where: { id: c.id }, data: { issuedAt: c.issuedAt, expiresAt: c.expiresAt } })
  })

  it('finds a certificate by number and name (diacritics optional), and refuses anything else', async () => {
    const visitor = new Browser(server.base)
    const form = await visitor.get('/verify')
    expect(form.status).toBe(200)
    expect(await form.text()).not.toMatch(/<script/)
    const q = (n: string, name: string) => `/verify?${new URLSearchParams({ number: n, name })}`
    for (const [n, name] of [
      [number, HOLDER],
      [` ${number.toLowerCase()} `, 'nguyen thi huong'],
    ] as const) {
      const found = await visitor.get(q(n, name))
      expect(found.status).toBe(302)
      expect(found.headers.get('location')).toBe(`/verify/${code}`)
    }
    // Typed with diacritics, they must be the right ones: Hường is not Hương.
    const wrongName = await visitor.get(q(number, 'Nguyễn Thị Hường'))
    expect(wrongName.status).toBe(404)
    expect(textOf(await wrongName.text())).toContain('Không tìm thấy chứng chỉ có số và họ tên này')
    expect((await visitor.get(q('', HOLDER))).status).toBe(400)
  })

  it('throttles failed look-ups per IP so numbers cannot be walked', async () => {
    await db().certificateLookup.deleteMany()
    const visitor = new Browser(server.base)
    for (let i = 0; i < 20; i++) expect((await visitor.get(`/verify?number=LC-2026-${String(900000 + i)}&name=Ai+%C4%90%C3%B3`)).status).toBe(404)
    const refused = await visitor.get(`/verify?${new URLSearchParams({ number, name: HOLDER })}`)
    expect(refused.status).toBe(429)
    expect(textOf(await refused.text())).toContain('Bạn đã tra cứu sai quá nhiều lần')
    await db().certificateLookup.deleteMany()
  })
})

describe('files and who may have them', () => {
  let id = ''
  let code = ''
  beforeAll(async () => {
    await resetLearning()
    const c = await complete(await learner())
    id = c.id
    code = c.code
  })

  it('lets the holder, their agency manager and an admin open the certificate; a stranger gets 404, a visitor the sign-in page', async () => {
    for (const who of [learner, manager, admin]) {
      const browser = await who()
      const page = await browser.get(`/certificates/${id}`)
      expect(page.status).toBe(200)
      expect(textOf(await page.text())).toContain(`${server.base}/verify/${code}`)
      for (const format of ['pdf', 'png', 'jwt']) expect((await browser.get(`/certificates/${id}/${format}`)).status).toBe(200)
    }
    const stranger = await teacher()
    for (const p of [`/certificates/${id}`, `/certificates/${id}/pdf`, `/certificates/${id}/png`, `/certificates/${id}/jwt`, '/certificates/not-a-uuid/pdf']) expect((await stranger.get(p)).status).toBe(404)
    expect((await new Browser(server.base).get(`/certificates/${id}/pdf`)).headers.get('location')).toMatch(/^\/login\?redirectTo=/)
    expect((await (await learner()).get(`/certificates/${id}/docx`)).status).toBe(404)
  })

  it('lists certificates to their holder, to managers in scope and admins only', async () => {
    const mine = textOf(await (await (await learner()).get('/certificates')).text())
    expect(mine).toContain('Khoá thử nghiệm')
    expect(textOf(await (await (await teacher()).get('/certificates')).text())).toContain('Bạn chưa có chứng chỉ nào')
    expect((await (await learner()).get('/admin/certificates')).status).toBe(403)
    expect((await (await teacher()).get('/admin/certificates')).status).toBe(403)
    const managerList = textOf(await (await (await manager()).get('/admin/certificates')).text())
    expect(managerList).toContain(HOLDER)
    expect(textOf(await (await (await admin()).get('/admin/certificates?q=nguyen')).text())).toContain(HOLDER)
    // Codes are never listed: only the holder's own pages and the certificate page carry them.
    expect(await (await (await admin()).get('/admin/certificates')).text()).not.toContain(code)
  })

  it('serves a PDF whose text holds the Vietnamese name exactly and whose QR code is the verification URL', async () => {
    const browser = await learner()
    const response = await browser.get(`/certificates/${id}/pdf`)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    const disposition = response.headers.get('content-disposition')!
    expect(disposition).toMatch(/^attachment; filename="LC-\d{4}-\d{6}-Nguyen-Thi-Huong\.pdf"; filename\*=UTF-8''/)
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toMatch(new RegExp(`^LC-\\d{4}-\\d{6} ${HOLDER}\\.pdf$`))
    const bytes = new Uint8Array(await response.arrayBuffer())
    const pdfDoc = await PDFDocument.load(bytes)
    const page = pdfDoc.getPage(0)
    // A4 landscape
    expect(Math.round(page.getWidth())).toBe(842)
    expect(Math.round(page.getHeight())).toBe(595)
    const { text } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true })
    expect(text).toContain(HOLDER)
    expect(text).toContain('Khoá thử nghiệm')
    expect(text.normalize('NFC')).toBe(text)
    // Fonts are embedded (a subset of DejaVu Sans), not referenced.
    const descriptors = [...pdfDoc.context.enumerateIndirectObjects()].map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'))
    expect(descriptors.length).toBeGreaterThanOrEqual(2)
    for (const d of descriptors) {
      expect(d.has(PDFName.of('FontFile2'))).toBe(true)
      expect(String(d.get(PDFName.of('FontName')))).toMatch(/DejaVuSans/)
    }
    // The QR code is an image in the PDF: decode it.
    const image = [...pdfDoc.context.enumerateIndirectObjects()].map(([, o]) => o).find((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'))!
    const width = Number(String(image.dict.get(PDFName.of('Width'))))
    const height = Number(String(image.dict.get(PDFName.of('Height'))))
    const raw = zlib.inflateSync(image.contents)
    const rgba = await sharp(raw, { raw: { width, height, channels: (raw.length / (width * height)) as 1 | 3 } }).ensureAlpha().raw().toBuffer()
    expect(jsQR(new Uint8ClampedArray(rgba), width, height)?.data).toBe(`${server.base}/verify/${code}`)
  })

  it('serves a PNG whose QR code is the verification URL, drawn once and then from the cache', async () => {
    const browser = await learner()
    const response = await browser.get(`/certificates/${id}/png`)
    expect(response.headers.get('content-type')).toBe('image/png')
    const png = Buffer.from(await response.arrayBuffer())
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(info.width).toBeGreaterThanOrEqual(1600)
    expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(`${server.base}/verify/${code}`)
    const files = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.png'))
    expect(files).toHaveLength(1)
    const mtime = fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs
    const again = Buffer.from(await (await browser.get(`/certificates/${id}/png`)).arrayBuffer())
    expect(again.equals(png)).toBe(true)
    expect(fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs).toBe(mtime)
    // A changed certificate is a new file.
    await db().certificate.update({ where: { id }, data: { agencyName: 'Xã Bắc Hà (mới)' } })
    await browser.get(`/certificates/${id}/png`)
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.png'))).toHaveLength(2)
    await db().certificate.update({ where: { id }, data: { agencyName: 'Xã Bắc Hà' } })
  })

  it('serves an Open Badges 3.0 credential that verifies with jose against the published key, and fails after one byte is changed', async () => {
    const jwksResponse = await new Browser(server.base).get('/.well-known/jwks.json')
    expect(jwksResponse.status).toBe(200)
    // Any verifier may fetch the keys, from a server or from a web page on another origin.
    expect(jwksResponse.headers.get('access-control-allow-origin')).toBe('*')
    expect(jwksResponse.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    const jwks = (await jwksResponse.json()) as JSONWebKeySet
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/)
    const token = await (await (await learner()).get(`/certificates/${id}/jwt`)).text()
    const keys = createLocalJWKSet(jwks)
    const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: `${server.base}/issuer`, algorithms: ['EdDSA'] })
    expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid)
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential'])
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'])
    expect(payload.jti).toBe(`${server.base}/verify/${code}`)
    expect(payload.sub).toMatch(/^urn:uuid:/)
    expect(typeof payload.nbf).toBe('number')
    expect(typeof payload.exp).toBe('number')
    const subject = payload.credentialSubject as { achievement: { name: string }; identifier: { identityHash: string }[] }
    expect(subject.achievement.name).toBe('Khoá thử nghiệm')
    expect(subject.identifier[0]!.identityHash).toBe(HOLDER)
    const profile = (await (await new Browser(server.base).get('/issuer')).json()) as { id: string; type: string[] }
    expect(profile.id).toBe(payload.iss)
    expect(profile.type).toEqual(['Profile'])

    // One byte changed, in the payload or in the signature: no longer valid.
    const [h, p, s] = token.split('.') as [string, string, string]
    const flip = (part: string, at: number) => part.slice(0, at) + (part[at] === 'A' ? 'B' : 'A') + part.slice(at + 1)
    await expect(jwtVerify(`${h}.${flip(p, 40)}.${s}`, keys)).rejects.toThrow()
    await expect(jwtVerify(`${h}.${p}.${flip(s, 10)}`, keys)).rejects.toThrow()
  })
})

describe('revocation and renewal', () => {
  beforeAll(resetLearning)

  it('lets an admin revoke with a reason after confirming; it is audit-logged and shown on the verification page', async () => {
    const c = await complete(await learner())
    expect((await (await manager()).post(`/admin/certificates/${c.id}`, { reason: 'Cấp nhầm người', confirm: 'yes' })).status).toBe(403)
    const browser = await admin()
    const form = await browser.get(`/admin/certificates/${c.id}`)
    expect(form.status).toBe(200)
    expect(textOf(await form.text())).toContain('Tôi hiểu rằng việc thu hồi không hoàn tác được')
    const short = await browser.post(`/admin/certificates/${c.id}`, { reason: 'x', confirm: 'yes' })
    expect(short.status).toBe(400)
    const unconfirmed = await browser.post(`/admin/certificates/${c.id}`, { reason: 'Gian lận khi làm bài kiểm tra' })
    expect(unconfirmed.status).toBe(400)
    expect(textOf(await unconfirmed.text())).toContain('Hãy đánh dấu ô xác nhận')
    expect((await db().certificate.findUniqueOrThrow({ where: { id: c.id } })).revokedAt).toBeNull()

    const done = await browser.post(`/admin/certificates/${c.id}`, { reason: 'Gian lận khi làm bài kiểm tra', confirm: 'yes' })
    expect(done.status).toBe(302)
    const row = await db().certificate.findUniqueOrThrow({ where: { id: c.id } })
    expect(row.revokedAt).not.toBeNull()
    expect(row.revokedReason).toBe('Gian lận khi làm bài kiểm tra')
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: 'certificate.revoke', targetId: c.id } })
    expect(entry.details).toMatchObject({ number: c.number, reason: 'Gian lận khi làm bài kiểm tra' })
    const text = textOf(await (await new Browser(server.base).get(`/verify/${c.code}`)).text())
    expect(text).toContain('Đã bị thu hồi')
    expect(text).toContain('Lý do: Gian lận khi làm bài kiểm tra')
    expect(text).toMatch(/Bị thu hồi ngày \d\d\/\d\d\/\d{4}/)
    // Twice: 409, the first date and reason stay.
    expect((await browser.post(`/admin/certificates/${c.id}`, { reason: 'Lý do khác hẳn', confirm: 'yes' })).status).toBe(409)
    expect((await db().certificate.findUniqueOrThrow({ where: { id: c.id } })).revokedReason).toBe('Gian lận khi làm bài kiểm tra')
  })

  it('warns the learner 60 days before expiry, and a renewal (the final quiz again, attempts afresh) supersedes the old certificate', async () => {
    await resetLearning()
    const browser = await learner()
    const old = await complete(browser)
    // Use up the remaining attempts: without a renewal, a fourth start is refused.
    for (let i = 0; i < 2; i++) {
      const attempt = (await browser.post(QUIZ, {})).headers.get('location')!
      await browser.post(attempt, { intent: 'submit' })
    }
    expect((await browser.post(QUIZ, {})).status).toBe(409)
    expect(await db().certificate.count()).toBe(1) // failed attempts issue nothing
    expect(textOf(await (await browser.get('/learning')).text())).not.toContain('hết hạn ngày')

    // 59 days before expiry (issued 24 months minus 59 days ago).
    const expiresAt = new Date(Date.now() + 59 * 86_400_000)
    await db().certificate.update({ where: { id: old.id }, data: { issuedAt: new Date(expiresAt.getTime() - 700 * 86_400_000), expiresAt } })
    await db().courseCompletion.updateMany({ data: { completedAt: new Date(expiresAt.getTime() - 700 * 86_400_000) } })
    await db().quizAttempt.updateMany({ data: { startedAt: new Date(expiresAt.getTime() - 700 * 86_400_000) } })
    const my = textOf(await (await browser.get('/learning')).text())
    expect(my).toContain('Chứng chỉ “Khoá thử nghiệm” hết hạn ngày')
    expect(my).toContain('Gia hạn: làm lại bài kiểm tra cuối khoá')

    await passQuiz(browser)
    const certificates = await db().certificate.findMany({ orderBy: { issuedAt: 'asc' } })
    expect(certificates).toHaveLength(2)
    const [before, renewed] = certificates as [typeof old, typeof old]
    expect(before.id).toBe(old.id)
    expect(before.supersededById).toBe(renewed.id)
    expect(renewed.number).not.toBe(before.number)
    expect(renewed.expiresAt!.getTime()).toBeGreaterThan(before.expiresAt!.getTime())
    expect(textOf(await (await browser.get('/learning')).text())).not.toContain('hết hạn ngày')

    const oldPage = await (await new Browser(server.base).get(`/verify/${before.code}`)).text()
    expect(textOf(oldPage)).toContain('Đã được thay bằng chứng chỉ gia hạn')
    expect(textOf(oldPage)).toContain(`Đã được gia hạn bằng chứng chỉ số ${renewed.number}`)
    expect(oldPage).toContain(`/verify/${renewed.code}`)
    expect(textOf(await (await new Browser(server.base).get(`/verify/${renewed.code}`)).text())).toContain('Còn hiệu lực')
    const history = textOf(await (await browser.get('/certificates')).text())
    expect(history).toContain(before.number)
    expect(history).toContain(renewed.number)
  })

  it('asks for every lesson again when the course renews as a whole', async () => {
    await resetLearning()
    await db().course.update({ where: { slug: 'khoa-thu' }, data: { renewal: 'COURSE' } })
    try {
      const browser = await learner()
      const old = await complete(browser)
      const past = new Date(Date.now() - 10 * 86_400_000)
      await db().certificate.update({ where: { id: old.id }, data: { issuedAt: new Date(past.getTime() - 700 * 86_400_000), expiresAt: past } })
      await db().courseCompletion.updateMany({ data: { completedAt: new Date(past.getTime() - 700 * 86_400_000) } })
      await db().lessonProgress.updateMany({ data: { completedAt: new Date(past.getTime() - 701 * 86_400_000) } })
      await db().quizAttempt.updateMany({ data: { startedAt: new Date(past.getTime() - 701 * 86_400_000), submittedAt: new Date(past.getTime() - 701 * 86_400_000) } })
      const my = textOf(await (await browser.get('/learning')).text())
      expect(my).toContain('đã hết hạn ngày')
      expect(my).toContain('Gia hạn: học lại cả khoá và làm bài kiểm tra')
      // The renewal starts the lessons afresh: none is shown done, and "done" can be pressed again.
      expect(my).toContain('Đã học 0/2 bài')
      expect(textOf(await (await browser.get(COURSE)).text())).toContain('Đã học 0/2 bài')

      await passQuiz(browser)
      expect(await db().certificate.count()).toBe(1) // the lessons are still to be done again
      await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
      expect(await db().certificate.count()).toBe(1)
      expect(textOf(await (await browser.get(`${COURSE}/bai-mot`)).text())).toContain('Bạn đã học xong bài này.')
      expect(textOf(await (await browser.get(COURSE)).text())).toContain('Đã học 1/2 bài')
      await browser.post(`${COURSE}/bai-hai`, { intent: 'done' })
      expect(await db().certificate.count()).toBe(2)
      expect((await db().certificate.findUniqueOrThrow({ where: { id: old.id } })).supersededById).not.toBeNull()
    } finally {
      await db().course.update({ where: { slug: 'khoa-thu' }, data: { renewal: 'QUIZ' } })
    }
  })
})
