// Progress marked offline and sent later: a mark is stored once however often it arrives, a lesson
// is counted once however many marks name it, a session that is gone gets 401 (the phone keeps the
// mark), bad marks get 400 and write nothing; and /sw.js is served from the root, never cached long.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
const db = () => server.t.db.prisma

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

async function postJson(browser: Browser, body: unknown) {
  return fetch(`${server.base}/api/offline-progress`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.base, Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: JSON.stringify(body),
  })
}

const mark = (id: string, lesson = 'bai-mot', doneAt = '2026-11-20T08:00:00+07:00') => ({ id, course: 'khoa-thu', lesson, doneAt })

describe('offline progress sync', () => {
  it('stores a mark once however often it is sent, and counts the lesson once', async () => {
    const learner = new Browser(server.base)
    expect((await learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    const id = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'
    const responses = await Promise.all([1, 2, 3].map(() => postJson(learner, mark(id))))
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(bodies.filter((b) => b.recorded === true)).toHaveLength(1)
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    expect(await db().offlineProgressSync.count({ where: { userId: user.id } })).toBe(1)
    const progress = await db().lessonProgress.findMany({ where: { enrolment: { userId: user.id } } })
    expect(progress).toHaveLength(1)
    expect(progress[0]!.completedAt.toISOString()).toBe('2026-11-20T01:00:00.000Z') // when it was done, not when it arrived

    // Another mark (another tab) for the same lesson: recorded as a sync, the lesson still once.
    const second = await postJson(learner, mark('f0e1d2c3-b4a5-4968-8776-655443322110'))
    expect(await second.json()).toEqual({ ok: true, recorded: false })
    expect(await db().lessonProgress.count({ where: { enrolment: { userId: user.id } } })).toBe(1)
  })

  it('answers 401 when the session is gone, 400 for a bad mark, 404 for an unknown lesson, 409 for another person’s id — writing nothing', async () => {
    const before = await db().offlineProgressSync.count()
    expect((await postJson(new Browser(server.base), mark('b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'))).status).toBe(401)
    const other = new Browser(server.base)
    expect((await other.signIn('giaovien@banso.example', 'GiaoVien@2026')).status).toBe(303)
    expect((await postJson(other, mark('short'))).status).toBe(400)
    expect((await postJson(other, { ...mark('c1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'), doneAt: 'hôm qua' })).status).toBe(400)
    expect((await postJson(other, mark('d1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'khong-co'))).status).toBe(404)
    expect((await postJson(other, mark('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'))).status).toBe(409)
    const bad = await fetch(`${server.base}/api/offline-progress`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.base }, body: '{' })
    expect(bad.status).toBe(401)
    expect(await db().offlineProgressSync.count()).toBe(before)
    // A foreign page cannot post marks (the Origin check of every non-GET).
    const foreign = await fetch(`${server.base}/api/offline-progress`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: JSON.stringify(mark('e1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d')) })
    expect(foreign.status).toBe(403)
  })

  it('takes JSON only here, only small, only with its length: elsewhere JSON is still a 415', async () => {
    const learner = new Browser(server.base)
    expect((await learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    const before = await db().offlineProgressSync.count()
    const big = await postJson(learner, { ...mark('a9b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'), pad: 'x'.repeat(70 * 1024) })
    expect(big.status).toBe(413)
    expect(await big.text()).toContain('quá lớn')
    // A streamed body (no Content-Length) could pass the cap unread.
    const chunks = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(JSON.stringify(mark('a8b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d')))), c.close()) })
    const streamed = await fetch(`${server.base}/api/offline-progress`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.base, Cookie: [...learner.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(411)
    const elsewhere = await fetch(`${server.base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.base }, body: JSON.stringify({ identifier: 'a', password: 'b' }) })
    expect(elsewhere.status).toBe(415)
    expect(await db().offlineProgressSync.count()).toBe(before)
  })

  it('never trusts a phone clock in the future', async () => {
    const learner = new Browser(server.base)
    await learner.signIn('hocvien@banso.example', 'HocVien@2026')
    const response = await postJson(learner, mark('f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'bai-hai', '2099-01-01T00:00:00Z'))
    expect(await response.json()).toEqual({ ok: true, recorded: true })
    const row = await db().offlineProgressSync.findUniqueOrThrow({ where: { clientId: 'f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } })
    expect(row.doneAt.getTime()).toBeLessThanOrEqual(Date.now())
  })
})

describe('the service worker and its page script', () => {
  it('/sw.js is served from the root, as JavaScript, revalidated at every visit', async () => {
    const response = await fetch(`${server.base}/sw.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('service-worker-allowed')).toBe('/')
    const code = await response.text()
    expect(code).toContain("addEventListener('fetch'")
    expect((await fetch(`${server.base}/offline.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('the save button and its script are only on pages of a course the learner is enrolled in', async () => {
    const visitor = await (await new Browser(server.base).get('/courses/khoa-thu/bai-mot')).text()
    expect(visitor).not.toContain('id="offline-tools"')
    expect(visitor).not.toContain('<script')
    const learner = new Browser(server.base)
    await learner.signIn('hocvien@banso.example', 'HocVien@2026')
    const page = await (await learner.get('/courses/khoa-thu/bai-mot')).text()
    expect(page).toMatch(/<div id="offline-tools"[^>]* hidden=""/)
    expect(page).toContain('<script src="/offline.js" defer=""></script>')
  })
})
