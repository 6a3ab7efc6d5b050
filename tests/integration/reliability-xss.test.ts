// Reliability 1 — stored and reflected XSS. Script and markup probes go into every text a user
// supplies — profile name and job title, a new account's name, a quiz short-text answer, a
// check-yourself answer, the search boxes, the sign-in identifier, the browser's User-Agent — and
// every page that shows them again is read back: the probe is there, escaped, and never as markup.
// (That the CSP also stops an inline script in a browser: tests/e2e/reliability-csp.spec.ts.)
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, type TestServer } from '../setup/test-server'

const PROBES = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>"] as const
/** What must never appear in a page: the probes' markup, live. */
const LIVE = [/<script>alert\(/i, /<img src=x onerror/i, /<svg onload/i]

let server: TestServer
const dirs: string[] = []

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function page(browser: Browser, path: string): Promise<string> {
  const response = await browser.get(path)
  expect(response.status, path).toBe(200)
  return response.text()
}

/** The probe is shown (escaped) and nowhere live. */
function expectEscaped(html: string, probe: string, where: string) {
  for (const live of LIVE) expect(live.test(html), `${where}: live markup ${live}`).toBe(false)
  const escaped = probe.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const shown = html.includes(escaped) || html.includes(escaped.replace(/"/g, '&quot;').replace(/'/g, '&#x27;'))
  expect(shown, `${where}: the probe is not shown at all (so this check proves nothing)`).toBe(true)
}

async function signedIn(email: string, password: string, userAgent?: string) {
  const browser = new Browser(server.base)
  if (userAgent) {
    const response = await fetch(`${server.base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.base, 'User-Agent': userAgent },
      body: new URLSearchParams({ identifier: email, password }),
      redirect: 'manual',
    })
    expect(response.status).toBe(303)
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';')
      browser.cookies.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1))
    }
    return browser
  }
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

describe('stored XSS: probes in every user-supplied text come back escaped', () => {
  for (const [i, probe] of PROBES.entries()) {
    it(`profile name and job title, on every page that shows them (probe ${i + 1})`, async () => {
      const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
      const saved = await learner.post('/account', { fullName: `Hương ${probe}`, jobTitle: `Cán bộ ${probe}` })
      expect(saved.status).toBe(200)
      for (const path of ['/account', '/learning', '/courses', '/courses/khoa-thu/bai-mot']) expectEscaped(await page(learner, path), probe, `learner ${path}`)
      const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
      const id = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
      expectEscaped(await page(admin, `/admin/users/${id}`), probe, 'admin person page')
      expectEscaped(await page(admin, `/admin/users?q=${encodeURIComponent('Hương')}`), probe, 'admin people list')
      expectEscaped(await page(admin, `/admin/users?q=${encodeURIComponent(probe.slice(0, 90))}`), probe.slice(0, 90), 'admin search box')
    })
  }

  it('a new account’s name, and what the sign-up and sign-in forms give back', async () => {
    const probe = PROBES[1]
    const visitor = new Browser(server.base)
    const refused = await visitor.post('/signup', { fullName: `Lan ${probe}`, identifier: `x${probe}`, password: 'a', passwordConfirm: 'b', kind: 'CITIZEN', agencyId: '', jobTitle: probe, agencyQuery: probe })
    expect(refused.status).toBe(400)
    expectEscaped(await refused.text(), probe, 'sign-up form given back')
    const search = await visitor.post('/signup', { intent: 'search', agencyQuery: probe })
    expectEscaped(await search.text(), probe, 'sign-up agency search')
    const login = await visitor.post('/login', { identifier: probe, password: 'x' })
    expectEscaped(await login.text(), probe, 'sign-in form given back')
    const created = await visitor.post('/signup', { fullName: `Lan ${probe}`, identifier: 'lan.xss@example.com', password: 'Mat-khau-rat-dai-2026', passwordConfirm: 'Mat-khau-rat-dai-2026', kind: 'CITIZEN', agencyId: '', jobTitle: '' })
    expect(created.status).toBe(303)
    expectEscaped(await page(visitor, '/account'), probe, 'new account page')
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    expectEscaped(await page(admin, `/admin/users?q=${encodeURIComponent('lan.xss')}`), probe, 'admin list with the new account')
  })

  it('a quiz answer typed by the learner, on the attempt and its result', async () => {
    const probe = PROBES[0]
    const learner = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const start = await learner.post('/courses/khoa-thu/quiz', {})
    const attempt = start.headers.get('location')!
    expect(attempt).toMatch(/\/quiz\/[0-9a-f-]{36}$/)
    expect((await learner.post(attempt, { intent: 'save', 'q.cau-bon': probe })).status).toBe(302)
    expectEscaped(await page(learner, attempt), probe, 'open attempt with the saved answer')
    expect((await learner.post(attempt, { intent: 'submit', 'q.cau-bon': probe })).status).toBe(302)
    expectEscaped(await page(learner, attempt), probe, 'attempt result')
  })

  it('a check-yourself answer, given back on the lesson', async () => {
    const probe = PROBES[2]
    const visitor = new Browser(server.base)
    const lesson = await (await visitor.get('/courses/khoa-thu/bai-hai')).text()
    const question = /name="question" value="([^"]+)"/.exec(lesson)?.[1]
    expect(question, 'the fixture lesson has a check-yourself question').toBeTruthy()
    const answered = await visitor.post('/courses/khoa-thu/bai-hai', { question: question!, answer: probe })
    expect(answered.status).toBeLessThan(500)
    const html = await answered.text()
    for (const live of LIVE) expect(live.test(html)).toBe(false)
  })

  it('the browser’s User-Agent, on the signed-in devices page', async () => {
    const probe = PROBES[0]
    const learner = await signedIn('quanly@banso.example', 'QuanLy@2026', `Mozilla/5.0 ${probe}`)
    const html = await page(learner, '/account/sessions')
    for (const live of LIVE) expect(live.test(html), 'sessions page').toBe(false)
  })
})
