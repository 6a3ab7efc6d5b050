// The anonymous page cache and the one-query signed-in person (docs/decisions/012), through the
// real HTTP stack: a cached page is only ever the anonymous one of its language and content
// version, carries this response's own security headers and no nonce, and a signed-in request reads
// its session, person, agency and roles in one statement.
import fs from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { getCurrentUser } from '~/modules/auth/request.server'
import { FIXTURE_FILES } from '../setup/content-fixture'
import { startLearningContent } from '../setup/learning-fixture'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser } from '../setup/test-server'

let server: LearningServer
/** Folders of a content reload made by a test (the server's own are removed by its close). */
const dirs: string[] = []
const LESSON = '/courses/khoa-thu/bai-mot'
const LESSON_FILE = 'courses/khoa-thu/01-bai-mot/index.mdx'

beforeAll(async () => {
  server = await startLearningServer()
})

afterAll(async () => {
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.base + path, { headers, redirect: 'manual' })
const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1]

async function signedIn() {
  const browser = new Browser(server.base)
  expect((await browser.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
  return browser
}

describe('anonymous lesson page cache', () => {
  it('serves the second anonymous request from memory, gzipped, with its own nonce and the same headers', async () => {
    const first = await get(LESSON)
    const firstHtml = await first.text()
    expect(first.status).toBe(200)
    const second = await get(LESSON, { 'Accept-Encoding': 'gzip' })
    const secondHtml = await second.text()
    expect(second.status).toBe(200)
    expect(second.headers.get('etag')).toMatch(/^".+"$/) // only a cached copy carries one
    expect(second.headers.get('content-encoding')).toBe('gzip')
    expect(second.headers.get('vary')).toMatch(/Cookie/)
    expect(secondHtml).toBe(firstHtml)
    // Fresh nonce per response, and the page holds none (it ships no script).
    expect(nonceOf(first)).toBeTruthy()
    expect(nonceOf(second)).toBeTruthy()
    expect(nonceOf(second)).not.toBe(nonceOf(first))
    expect(secondHtml).not.toContain(nonceOf(first)!)
    expect(secondHtml).not.toMatch(/nonce=|<script/)
    // The same security headers as the rendered page; the internal marker never leaves.
    for (const name of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'permissions-policy', 'content-type']) {
      expect(second.headers.get(name), name).toBe(first.headers.get(name))
    }
    expect(first.headers.get('x-banso-page-cache')).toBeNull()
    expect(second.headers.get('x-banso-page-cache')).toBeNull()
    expect(second.headers.get('set-cookie')).toBeNull()
  })

  it('answers a matching If-None-Match with 304, and a client without gzip with plain HTML', async () => {
    const cached = await get(LESSON)
    const etag = cached.headers.get('etag')!
    expect(etag).toBeTruthy()
    const again = await get(LESSON, { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('content-security-policy')).toBeTruthy()
    const plain = await get(LESSON, { 'Accept-Encoding': 'identity' })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(await cached.text())
  })

  it('never gives a signed-in person the anonymous copy, nor an anonymous visitor theirs', async () => {
    await get(LESSON) // the anonymous copy is cached
    const anonymousTag = (await get(LESSON)).headers.get('etag')
    const learner = await signedIn()
    const mine = await learner.get(LESSON)
    const html = await mine.text()
    // Their own page (from a personal template, docs/decisions/030): its own private tag.
    expect(mine.headers.get('etag')).not.toBe(anonymousTag)
    expect(mine.headers.get('etag')).toMatch(/^"p-/)
    expect(mine.headers.get('cache-control')).toBe('private, no-cache')
    expect(html).toContain('data-testid="header-user"')
    expect(html).not.toContain('href="/login?redirectTo=')
    const anonymous = await (await get(LESSON)).text()
    expect(anonymous).not.toContain('data-testid="header-user"')
    expect(anonymous).toContain('href="/login?redirectTo=')
  })

  it('keeps the anonymous course page too, and never a signed-in one', async () => {
    const first = await get('/courses/khoa-thu')
    const firstHtml = await first.text()
    expect(first.headers.get('etag')).toBeNull()
    const second = await get('/courses/khoa-thu')
    expect(second.headers.get('etag')).toMatch(/^"[^p]/)
    expect(await second.text()).toBe(firstHtml)
    expect(firstHtml).toContain('/login?redirectTo=%2Fcourses%2Fkhoa-thu')
    const learner = await signedIn()
    const mine = await (await learner.get('/courses/khoa-thu')).text()
    expect(mine).toContain('data-testid="header-user"')
    expect(mine).not.toContain('/login?redirectTo=')
  })

  it('keeps a session cookie that is not valid away from the cache (the page is rendered)', async () => {
    const response = await get(LESSON, { Cookie: 'banso_session=khong.hop-le' })
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toBeNull()
    expect(await response.text()).toContain('href="/login?redirectTo=')
  })

  it('keeps one copy per language', async () => {
    const vi1 = await (await get(LESSON)).text()
    await get(LESSON, { Cookie: 'lang=en' })
    const en = await get(LESSON, { Cookie: 'lang=en' })
    const enHtml = await en.text()
    expect(en.headers.get('etag')).toBeTruthy()
    expect(vi1).toContain('<html lang="vi"')
    expect(enHtml).toContain('<html lang="en"')
    expect((await (await get(LESSON)).text())).toContain('<html lang="vi"')
  })

  it('does not cache a page with a query string', async () => {
    await get(`${LESSON}?x=1`)
    expect((await get(`${LESSON}?x=1`)).headers.get('etag')).toBeNull()
  })

  it('drops every copy when the content is reloaded', async () => {
    await get(LESSON)
    expect((await get(LESSON)).headers.get('etag')).toBeTruthy()
    const changed = FIXTURE_FILES[LESSON_FILE]!.replace('Nội dung bài một', 'Nội dung bài một ĐÃ-SỬA')
    const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma, { [LESSON_FILE]: changed })
    dirs.push(contentDir, cacheDir)
    const after = await get(LESSON)
    expect(after.headers.get('etag')).toBeNull()
    expect(await after.text()).toContain('ĐÃ-SỬA')
    expect(await (await get(LESSON)).text()).toContain('ĐÃ-SỬA')
  })
})

describe('the signed-in person of a request', () => {
  it('is read with its session, agency and roles in one query', async () => {
    const learner = await signedIn()
    const cookie = [...learner.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const spy = vi.spyOn(pg.Client.prototype, 'query')
    try {
      const user = await getCurrentUser(new Request(server.base + LESSON, { headers: { cookie } }))
      expect(user?.email).toBe('hocvien@banso.example')
      expect(user?.agency).not.toBeNull()
      expect(Array.isArray(user?.roles)).toBe(true)
      expect(spy).toHaveBeenCalledTimes(1)
    } finally {
      spy.mockRestore()
    }
  })

  it('still refuses a wrong secret and an idle session, and keeps the roles', async () => {
    const learner = await signedIn()
    const token = learner.cookies.get('banso_session')!
    const [id] = token.split('.')
    expect(await getCurrentUser(new Request(server.base, { headers: { cookie: `banso_session=${id}.${'a'.repeat(32)}` } }))).toBeNull()
    const manager = new Browser(server.base)
    expect((await manager.signIn('quanly@banso.example', 'QuanLy@2026')).status).toBe(303)
    const managerUser = await getCurrentUser(new Request(server.base, { headers: { cookie: `banso_session=${manager.cookies.get('banso_session')}` } }))
    const grant = await server.t.db.prisma.roleGrant.findFirstOrThrow({ where: { user: { email: 'quanly@banso.example' } }, include: { agency: true } })
    expect(managerUser?.roles).toEqual([{ role: 'AGENCY_MANAGER', agencyId: grant.agencyId, agencyName: grant.agency!.name }])
    await server.t.db.prisma.session.update({ where: { id }, data: { lastActiveAt: new Date(Date.now() - 365 * 86_400_000) } })
    expect(await getCurrentUser(new Request(server.base, { headers: { cookie: `banso_session=${token}` } }))).toBeNull()
    expect(await server.t.db.prisma.session.findUnique({ where: { id } })).toBeNull()
  })
})
