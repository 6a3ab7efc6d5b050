// Signed-in pages from personal templates (docs/decisions/030): a filled template must be the very
// page Remix renders for that person. Two servers on one database — the product (templates on) and
// a reference with PERSONAL_PAGES=false (always Remix) — answer the same requests for people in
// every state the marks cover; the pages must be equal (React's empty `<!-- -->` text separators
// aside, which mean nothing to a browser). Then what must never come from a template.
import fs from 'node:fs'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCALE_COOKIE } from '~/utils/i18n'
import { FIXTURE_FILES } from '../setup/content-fixture'
import { startLearningContent } from '../setup/learning-fixture'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser, listenProductionApp } from '../setup/test-server'

let server: LearningServer
let reference: { server: Server; base: string }
const COURSE = '/courses/khoa-thu'
const PAGES = [COURSE, `${COURSE}/bai-mot`, `${COURSE}/bai-hai`, '/learning']

beforeAll(async () => {
  // The facts cache on (docs/decisions/030, 2026-12-08): the pages must be right from kept facts too.
  server = await startLearningServer({ env: { PERSONAL_FACTS_SECONDS: '60' } })
  reference = await listenProductionApp({ PERSONAL_PAGES: 'false' })
})

/** Folders of a content reload made by a test (the server's own are removed by its close). */
const dirs: string[] = []

afterAll(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  reference?.server.closeAllConnections()
  await new Promise<void>((resolve) => (reference ? reference.server.close(() => resolve()) : resolve()))
  await server?.close()
})

const db = () => server.t.db.prisma
const normal = (html: string) => html.replaceAll('<!-- -->', '')

async function signedIn(email: string, password: string, locale?: 'en') {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  if (locale) browser.cookies.set(LOCALE_COOKIE, locale)
  return browser
}

function cookieOf(browser: Browser) {
  return [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
}

/** The same request to both servers: the product's answer and the reference's. */
async function both(browser: Browser, path: string) {
  const headers = { Cookie: cookieOf(browser), 'Accept-Encoding': 'gzip' }
  const product = await fetch(server.base + path, { headers, redirect: 'manual' })
  const expected = await fetch(reference.base + path, { headers, redirect: 'manual' })
  // The reference listens on another port: the pages name the address they were asked at.
  return { product, productHtml: await product.text(), expected, expectedHtml: (await expected.text()).replaceAll(reference.base, server.base) }
}

/**
 * The assertions, again until they hold (15 s at most): a row this test writes directly reaches the
 * product's kept facts by the database's notification, which takes milliseconds — not no time.
 */
async function settled(assertions: () => Promise<void>) {
  const until = Date.now() + 15_000
  for (;;) {
    try {
      return await assertions()
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

async function expectSamePages(browser: Browser, label: string) {
  for (const path of PAGES) await settled(() => expectSamePage(browser, path, label))
}

async function expectSamePage(browser: Browser, path: string, label: string) {
  {
    const { product, productHtml, expected, expectedHtml } = await both(browser, path)
    expect(product.status, `${label} ${path}`).toBe(200)
    expect(expected.status, `${label} ${path}`).toBe(200)
    // Served from a template (its private ETag), not by Remix.
    expect(product.headers.get('etag'), `${label} ${path}`).toMatch(/^"p-/)
    expect(expected.headers.get('etag'), `${label} ${path}`).toBeNull()
    expect(normal(productHtml), `${label} ${path}`).toBe(normal(expectedHtml))
    expect(productHtml).not.toMatch(/[\uE000\uE001]/)
  }
}

describe('a filled template is the page Remix renders', () => {
  it('for a learner not enrolled, then enrolled, with lessons done, in both languages', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    await expectSamePages(learner, 'not enrolled')
    // Assigned by their agency: My learning lists it, then shows its due date once enrolled.
    const person = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
    await db().courseAssignment.create({ data: { courseId: course.id, agencyId: person.agencyId!, dueAt: new Date('2027-03-31T10:00:00Z') } })
    await expectSamePages(learner, 'assigned, not enrolled')
    expect((await both(learner, '/learning')).productHtml).toContain('data-testid="assigned-courses"')
    expect((await learner.post(COURSE, { intent: 'enrol' })).status).toBe(302)
    await expectSamePages(learner, 'enrolled')
    expect((await learner.post(`${COURSE}/bai-mot`, { intent: 'done' })).status).toBe(302)
    await expectSamePages(learner, 'one lesson done')
    const { productHtml } = await both(learner, `${COURSE}/bai-mot`)
    expect(productHtml).toContain('name="intent" value="undo"')
    expect((await learner.post(`${COURSE}/bai-hai`, { intent: 'done' })).status).toBe(302)
    await expectSamePages(learner, 'all lessons done')
    learner.cookies.set(LOCALE_COOKIE, 'en')
    await expectSamePages(learner, 'English')
  })

  it('for a manager and an admin (their links), with unread notifications and a name to escape', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    await expectSamePages(manager, 'manager')
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })
    await db().user.update({ where: { id: user.id }, data: { fullName: `Lê <Thị> "Ánh" & O'Neil` } })
    await db().notification.createMany({ data: [1, 2, 3].map((n) => ({ userId: user.id, key: `personal-pages-${n}`, rule: 'test' })) })
    await expectSamePages(admin, 'admin with 3 unread')
    const { productHtml } = await both(admin, COURSE)
    expect(productHtml).toContain('Lê &lt;Thị&gt; &quot;Ánh&quot; &amp; O&#x27;Neil')
    expect(productHtml).toContain('href="/admin/audit"')
  })

  it('for a completed course, and for a whole-course renewal (counted by the domain function)', async () => {
    const learner = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    expect((await learner.post(`${COURSE}/bai-mot`, { intent: 'done' })).status).toBe(302)
    const user = await db().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })
    await db().enrolment.updateMany({ where: { userId: user.id }, data: { completedAt: new Date() } })
    await expectSamePages(learner, 'completed')
    const { productHtml } = await both(learner, COURSE)
    expect(productHtml).toContain('href="/certificates"')
    await db().course.update({ where: { slug: 'khoa-thu' }, data: { renewal: 'COURSE' } })
    try {
      await expectSamePages(learner, 'completed, renewal by course')
    } finally {
      await db().course.update({ where: { slug: 'khoa-thu' }, data: { renewal: 'QUIZ' } })
    }
  })
})

describe('what never comes from a template', () => {
  it('one person never sees another one\u2019s name or progress', async () => {
    const a = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const b = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const pageA = await (await fetch(server.base + `${COURSE}/bai-mot`, { headers: { Cookie: cookieOf(a) } })).text()
    const pageB = await (await fetch(server.base + `${COURSE}/bai-mot`, { headers: { Cookie: cookieOf(b) } })).text()
    const nameA = (await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).fullName
    const nameB = (await db().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })).fullName
    expect(pageA).toContain(nameA)
    expect(pageA).not.toContain(nameB)
    expect(pageB).toContain(nameB)
    expect(pageB).not.toContain(nameA)
  })

  it('a repeat visit with the page unchanged is a 304; a change of progress is a new page', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await learner.post(`${COURSE}/bai-hai`, { intent: 'done' })).status).toBe(302)
    const first = await fetch(server.base + `${COURSE}/bai-hai`, { headers: { Cookie: cookieOf(learner) } })
    const etag = first.headers.get('etag')!
    expect(first.headers.get('cache-control')).toBe('private, no-cache')
    expect(first.headers.get('vary')).toMatch(/Cookie/)
    const again = await fetch(server.base + `${COURSE}/bai-hai`, { headers: { Cookie: cookieOf(learner), 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    await learner.post(`${COURSE}/bai-hai`, { intent: 'undo' })
    const changed = await fetch(server.base + `${COURSE}/bai-hai`, { headers: { Cookie: cookieOf(learner), 'If-None-Match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })

  it('a bad, expired or deactivated session, an unknown cookie, a query string or another route go to Remix', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const cookie = cookieOf(learner)
    const get = (path: string, c: string) => fetch(server.base + path, { headers: { Cookie: c } })
    // Wrong secret: the anonymous page (the anonymous cache or Remix, never a template).
    const forged = cookie.replace(/(banso_session=[^.;]+\.)[^;]+/, '$1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    const bad = await get(`${COURSE}/bai-mot`, forged)
    expect(bad.headers.get('etag') ?? '').not.toMatch(/^"p-/)
    expect(await bad.text()).toContain('/login?redirectTo=')
    // Another cookie, a query string: Remix.
    expect((await get(`${COURSE}/bai-mot`, `${cookie}; other=1`)).headers.get('etag')).toBeNull()
    expect((await get(`${COURSE}/bai-mot?x=1`, cookie)).headers.get('etag')).toBeNull()
    // A route without a template (the quiz page): Remix, the same as always, twice.
    for (let i = 0; i < 2; i++) {
      const quiz = await get(`${COURSE}/quiz`, cookie)
      expect(quiz.status).toBe(200)
      expect(quiz.headers.get('etag')).toBeNull()
      expect(await quiz.text()).not.toMatch(/[\uE000\uE001]/)
    }
    // An unknown lesson: Remix's 404.
    const missing = await get(`${COURSE}/khong-co`, cookie)
    expect(missing.status).toBe(404)
    expect(await missing.text()).not.toMatch(/[\uE000\uE001]/)
    // Expired: the row is deleted and the page is the anonymous one.
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const sessionId = /banso_session=([^.;]+)\./.exec(cookie)![1]!
    const past = new Date(Date.now() - 10 * 24 * 3600_000)
    await db().session.update({ where: { id: sessionId }, data: { createdAt: past, lastActiveAt: past, expiresAt: new Date(Date.now() - 1000) } })
    await settled(async () => {
      const expired = await get(`${COURSE}/bai-mot`, cookie)
      expect(expired.headers.get('etag') ?? '').not.toMatch(/^"p-/)
      expect(await db().session.count({ where: { id: sessionId } })).toBe(0)
    })
    // Deactivated: never served as them.
    const other = await signedIn('hocvien@banso.example', 'HocVien@2026')
    await db().user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } })
    try {
      await settled(async () => {
        const gone = await get(`${COURSE}/bai-mot`, cookieOf(other))
        expect(gone.headers.get('etag') ?? '').not.toMatch(/^"p-/)
        expect(await gone.text()).not.toContain(user.fullName)
      })
    } finally {
      await db().user.update({ where: { id: user.id }, data: { deactivatedAt: null } })
    }
  })

  it('a content reload gives signed-in people the new lesson, never the template of the old one', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const path = `${COURSE}/bai-mot`
    const before = await fetch(server.base + path, { headers: { Cookie: cookieOf(learner) } })
    expect(before.headers.get('etag')).toMatch(/^"p-/)
    expect(await before.text()).not.toContain('ĐÃ-SỬA')
    const file = 'courses/khoa-thu/01-bai-mot/index.mdx'
    const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma, { [file]: FIXTURE_FILES[file]!.replace('Nội dung bài một', 'Nội dung bài một ĐÃ-SỬA') })
    dirs.push(contentDir, cacheDir)
    const after = await fetch(server.base + path, { headers: { Cookie: cookieOf(learner) } })
    expect(after.headers.get('etag')).toMatch(/^"p-/)
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
    expect(await after.text()).toContain('ĐÃ-SỬA')
  })
})
