// Content reload at run time (docs/decisions/025, amendment "content reload"), in one process and in
// both database modes (on PGlite a single process is the only mode, and it follows the version row
// by the same code as on PostgreSQL): the admin page previews and publishes a changed lesson through
// the real HTTP stack, the anonymous cached page changes with it, a broken tree is refused with its
// problems and changes nothing (files, rows, version, what is served), and a version published by
// "another process" is picked up by this one's watcher from the version row.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishContentTree } from '~/modules/content/mirror.server'
import { loadContent } from '~/modules/content/loader.server'
import { publishContent, servedContentVersion, startContentWatcher, type ContentWatcher } from '~/modules/content/reload.server'
import { ContentError, getContentStore } from '~/modules/content/service.server'
import { readContentVersion, treeHash } from '~/modules/content/version-row.server'
import { FIXTURE_FILES } from '../setup/content-fixture'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser, textOf } from '../setup/test-server'

const LESSON = '/courses/khoa-thu/bai-mot'
const LESSON_FILE = 'courses/khoa-thu/01-bai-mot/index.mdx'
const ORIGINAL = FIXTURE_FILES[LESSON_FILE]!

let server: LearningServer
let saved: { dir?: string; cache?: string }
const get = (p: string) => fetch(server.base + p, { redirect: 'manual' })
const writeLesson = (text: string) => fs.writeFileSync(path.join(server.contentDir, LESSON_FILE), text)
const edited = (marker: string) => ORIGINAL.replace('Nội dung bài một', `Nội dung bài một ${marker}`)

beforeAll(async () => {
  server = await startLearningServer()
  // The admin page and the watcher read CONTENT_DIR / CONTENT_CACHE_DIR, as a deployment's would.
  saved = { dir: process.env.CONTENT_DIR, cache: process.env.CONTENT_CACHE_DIR }
  process.env.CONTENT_DIR = server.contentDir
  process.env.CONTENT_CACHE_DIR = server.cacheDir
})

afterAll(async () => {
  for (const [name, value] of [['CONTENT_DIR', saved?.dir], ['CONTENT_CACHE_DIR', saved?.cache]] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await server?.close()
})

async function admin() {
  const browser = new Browser(server.base)
  expect((await browser.signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(303)
  return browser
}

/** An anonymous visit twice: the second is the cached copy (it carries an ETag). */
async function cachedLesson(): Promise<string> {
  await (await get(LESSON)).text()
  const second = await get(LESSON)
  expect(second.headers.get('etag')).toBeTruthy()
  return second.text()
}

describe('content reload in one process', () => {
  it('start-up published version 1 of this tree, and the process serves it', async () => {
    const row = await readContentVersion(server.t.db.prisma)
    expect(row?.version).toBe(1)
    expect(servedContentVersion().version).toBe(1)
    const loaded = loadContent(server.contentDir)
    expect(loaded.ok && treeHash(loaded.tree)).toBe(row?.contentHash)
  })

  it('the admin page previews the change, refuses without confirmation, then reloads: the cached anonymous page is the new one', async () => {
    expect(await cachedLesson()).not.toContain('ĐÃ-SỬA-MỘT')
    writeLesson(edited('ĐÃ-SỬA-MỘT'))
    const browser = await admin()
    const page = await browser.get('/admin/content')
    expect(page.status).toBe(200)
    expect(textOf(await page.text())).toContain('Phiên bản nội dung trong cơ sở dữ liệu: 1')

    const preview = await browser.post('/admin/content', { intent: 'preview' })
    expect(preview.status).toBe(200)
    const html = await preview.text()
    const hash = /name="hash" value="([0-9a-f]{32})"/.exec(html)?.[1]
    expect(hash).toBeTruthy()
    const text = textOf(html)
    expect(text).toContain('Nếu nạp bây giờ')
    expect(text).toMatch(/Sửa\s*Bài\s*\/courses\/khoa-thu\/bai-mot\s*Bài một/)
    // Previewing wrote nothing and changed nothing served.
    expect((await readContentVersion(server.t.db.prisma))?.version).toBe(1)
    expect(await cachedLesson()).not.toContain('ĐÃ-SỬA-MỘT')

    const unconfirmed = await browser.post('/admin/content', { intent: 'apply', hash: hash! })
    expect(unconfirmed.status).toBe(400)
    expect(textOf(await unconfirmed.text())).toContain('Hãy đánh dấu ô xác nhận trước khi nạp.')
    expect((await readContentVersion(server.t.db.prisma))?.version).toBe(1)

    const applied = await browser.post('/admin/content', { intent: 'apply', hash: hash!, confirm: 'yes' })
    expect(applied.status).toBe(200)
    expect(textOf(await applied.text())).toContain('Đã nạp: phiên bản nội dung 2 (2 thay đổi)')
    const row = await readContentVersion(server.t.db.prisma)
    expect(row?.version).toBe(2)
    const adminId = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })).id
    expect(row?.changedById).toBe(adminId)
    expect(await server.t.db.prisma.auditLog.count({ where: { action: 'content.reload', actorId: adminId, targetId: '2' } })).toBe(1)
    expect(await cachedLesson()).toContain('ĐÃ-SỬA-MỘT')
  })

  it('refuses a reload of files changed after the preview (nothing published that nobody saw)', async () => {
    const browser = await admin()
    writeLesson(edited('XEM-TRƯỚC'))
    const hash = /name="hash" value="([0-9a-f]{32})"/.exec(await (await browser.post('/admin/content', { intent: 'preview' })).text())![1]!
    writeLesson(edited('SAU-KHI-XEM'))
    const late = await browser.post('/admin/content', { intent: 'apply', hash, confirm: 'yes' })
    expect(late.status).toBe(409)
    expect(textOf(await late.text())).toContain('Nội dung trong thư mục đã thay đổi sau khi bạn xem trước')
    expect((await readContentVersion(server.t.db.prisma))?.version).toBe(2)
    expect(await cachedLesson()).toContain('ĐÃ-SỬA-MỘT')
    writeLesson(edited('ĐÃ-SỬA-MỘT'))
  })

  it('refuses a broken tree with its problems in Vietnamese, and changes nothing: rows, version, the served pages', async () => {
    const lessonRow = () => server.t.db.prisma.lesson.findFirstOrThrow({ where: { slug: 'bai-mot' }, select: { contentHash: true, title: true } })
    const before = await lessonRow()
    const storeBefore = await getContentStore()
    // One good change (a new title) and one broken lesson in the same tree: neither may land.
    writeLesson(edited('HỎNG').replace('title: Bài một', 'title: Bài một mới').replace('<Callout type="tip">', '<KhongCo>'))
    const browser = await admin()
    const refused = await browser.post('/admin/content', { intent: 'preview' })
    expect(refused.status).toBe(422)
    const text = textOf(await refused.text())
    expect(text).toMatch(/Nội dung có \d+ lỗi: không nạp gì, nội dung cũ vẫn được phục vụ\./)
    expect(text).toContain('courses/khoa-thu/01-bai-mot/index.mdx')
    const applied = await browser.post('/admin/content', { intent: 'apply', hash: 'a'.repeat(32), confirm: 'yes' })
    expect(applied.status).toBe(422)

    await expect(publishContent({ prisma: server.t.db.prisma })).rejects.toBeInstanceOf(ContentError)
    expect(await lessonRow()).toEqual(before)
    expect((await readContentVersion(server.t.db.prisma))?.version).toBe(2)
    expect(await getContentStore()).toBe(storeBefore)
    expect(servedContentVersion().version).toBe(2)
    const page = await cachedLesson()
    expect(page).toContain('ĐÃ-SỬA-MỘT')
    expect(page).not.toContain('HỎNG')
    writeLesson(edited('ĐÃ-SỬA-MỘT'))
  })

  it('follows a version another process published (read from the version row), and keeps its own when its files differ', async () => {
    const warnings: string[] = []
    const watcher: ContentWatcher = await startContentWatcher({ db: server.t.db, checkMs: 3_600_000, mismatchRetryMs: 0, log: () => undefined, warn: (l) => warnings.push(l) })
    try {
      // "Another process": same files, its own publish (the mirror and the bump), nothing adopted here.
      writeLesson(edited('TIẾN-TRÌNH-KHÁC'))
      const loaded = loadContent(server.contentDir)
      if (!loaded.ok) throw new Error('fixture invalid')
      const other = await publishContentTree({ prisma: server.t.db.prisma, tree: loaded.tree })
      expect(other).toMatchObject({ version: 3, bumped: true })
      expect(await cachedLesson()).toContain('ĐÃ-SỬA-MỘT')
      await watcher.check()
      expect(servedContentVersion().version).toBe(3)
      expect(await cachedLesson()).toContain('TIẾN-TRÌNH-KHÁC')

      // A version whose files this process does not have: it keeps serving version 3, and says so.
      await server.t.db.prisma.$executeRaw`UPDATE content_version SET version = 4, content_hash = ${'f'.repeat(32)} WHERE id = 1`
      await watcher.check()
      expect(servedContentVersion().version).toBe(3)
      expect(warnings.join('\n')).toMatch(/phiên bản nội dung 4 trong cơ sở dữ liệu khác nội dung/)
      expect(await cachedLesson()).toContain('TIẾN-TRÌNH-KHÁC')
    } finally {
      await watcher.stop()
    }
  })

  it('the timer alone (no notification) brings a new version within a few checks', async () => {
    const watcher = await startContentWatcher({ db: server.t.db, checkMs: 200, log: () => undefined, warn: () => undefined })
    try {
      writeLesson(edited('HẸN-GIỜ'))
      const loaded = loadContent(server.contentDir)
      if (!loaded.ok) throw new Error('fixture invalid')
      const published = await publishContentTree({ prisma: server.t.db.prisma, tree: loaded.tree })
      expect(published.version).toBe(5)
      const deadline = Date.now() + 60_000
      while (servedContentVersion().version !== 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      expect(servedContentVersion().version).toBe(5)
      expect(await cachedLesson()).toContain('HẸN-GIỜ')
    } finally {
      await watcher.stop()
    }
  })

  it('a learner cannot open or use the page', async () => {
    const learner = new Browser(server.base)
    expect((await learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    expect((await learner.get('/admin/content')).status).toBe(403)
    expect((await learner.post('/admin/content', { intent: 'preview' })).status).toBe(403)
  })
})
