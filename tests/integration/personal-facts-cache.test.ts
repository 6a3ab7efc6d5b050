// The personal facts cache (docs/decisions/030, amendment 2026-12-08): a signed-in page's facts are
// kept in memory and forgotten when the database's triggers say they changed. What must hold:
// - it is really used (a row changed with the triggers switched off is not seen until told);
// - every write the facts depend on, by any path, reaches the page: a notification, a role, the
//   person's name, progress, an enrolment, a course, the session's end, a deactivation;
// - the person's own write is seen at once (the write stamp), without waiting for any notification;
// - without its LISTEN connection the cache serves nothing, and starts empty when it is back;
// - on PGlite (one process, no LISTEN connection) it is off and the pages are still right.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FACTS_HEADER } from '~/server/personal-pages'
import { WRITE_STAMP_COOKIE } from '~/modules/personal/cache.server'
import { poolConfigFromUrl } from '~/utils/db.server'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser } from '../setup/test-server'

const COURSE = '/courses/khoa-thu'
const LESSON = `${COURSE}/bai-mot`
let server: LearningServer
const db = () => server.t.db.prisma

beforeAll(async () => {
  server = await startLearningServer({ env: { PERSONAL_FACTS_SECONDS: '60' } })
})
afterAll(async () => {
  await server?.close()
})

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

async function page(browser: Browser, path: string) {
  const response = await browser.get(path)
  return { status: response.status, source: response.headers.get(FACTS_HEADER), html: await response.text() }
}

/** Polls the page until `ok` holds (a notification takes milliseconds; a loaded machine, longer). */
async function eventually(browser: Browser, path: string, ok: (html: string) => boolean, label: string) {
  const until = Date.now() + 15_000
  for (;;) {
    const p = await page(browser, path)
    if (ok(p.html)) return p
    if (Date.now() > until) throw new Error(`${label}: trang không đổi sau 15 giây`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A page served from the cache (the LISTEN connection is up by then, and the entry kept). */
async function cached(browser: Browser, path: string) {
  const until = Date.now() + 15_000
  for (;;) {
    const p = await page(browser, path)
    if (p.source === 'hit') return p
    if (Date.now() > until) throw new Error(`${path}: chưa lấy từ bộ nhớ đệm sau 15 giây (lần cuối: ${p.source})`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A statement with the triggers switched off: the database says nothing about it. */
async function silently(sql: string, values: unknown[]) {
  const client = new pg.Client(poolConfigFromUrl(server.t.url!))
  await client.connect()
  try {
    await client.query('SET session_replication_role = replica')
    await client.query(sql, values)
  } finally {
    await client.end()
  }
}

// One mode per run (no skipped tests): PostgreSQL in the suite, PGlite when run without DATABASE_URL.
if (process.env.DATABASE_URL) describe('the personal facts cache on PostgreSQL', () => {
  it('is used: a silent change is not seen until the database tells, then it is', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const first = await cached(learner, LESSON)
    expect(first.html).toContain(user.fullName)
    await silently('UPDATE app_user SET full_name = $2 WHERE id = $1', [user.id, 'Tên Chưa Báo'])
    try {
      const stale = await page(learner, LESSON)
      expect(stale.source).toBe('hit')
      expect(stale.html).toContain(user.fullName)
      expect(stale.html).not.toContain('Tên Chưa Báo')
      await db().$executeRawUnsafe(`SELECT pg_notify('personal_facts', '${user.id}')`)
      const told = await eventually(learner, LESSON, (html) => html.includes('Tên Chưa Báo'), 'sau NOTIFY')
      expect(told.source).toBe('read')
    } finally {
      await db().user.update({ where: { id: user.id }, data: { fullName: user.fullName } })
    }
  })

  it("sees every write the facts depend on, made by any path (another person's, a job's, psql's)", async () => {
    const learner = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })
    expect((await learner.post(COURSE, { intent: 'enrol' })).status).toBe(302)
    await cached(learner, LESSON)
    await cached(learner, '/learning')

    // Notifications (as the reminders job writes them): the unread count in the header.
    await db().notification.createMany({ data: [1, 2].map((n) => ({ userId: user.id, key: `facts-cache-${n}`, rule: 'test' })) })
    await eventually(learner, LESSON, (html) => html.includes('header-notifications-unread') && html.includes('Thông báo (2)'), 'thông báo')
    // A role granted by an administrator: the admin's links.
    await db().roleGrant.create({ data: { userId: user.id, role: 'ADMIN' } })
    await eventually(learner, LESSON, (html) => html.includes('href="/admin/audit"'), 'quyền quản trị')
    // A name changed (app_user).
    await db().user.update({ where: { id: user.id }, data: { fullName: 'Giáo Viên Đổi Tên' } })
    await eventually(learner, LESSON, (html) => html.includes('Giáo Viên Đổi Tên'), 'họ tên')
    // Progress written directly (lesson_progress, through the enrolment).
    const enrolment = await db().enrolment.findFirstOrThrow({ where: { userId: user.id, course: { slug: 'khoa-thu' } } })
    const lesson = await db().lesson.findFirstOrThrow({ where: { slug: 'bai-mot', course: { slug: 'khoa-thu' } } })
    await db().lessonProgress.create({ data: { enrolmentId: enrolment.id, lessonId: lesson.id } })
    await eventually(learner, LESSON, (html) => html.includes('name="intent" value="undo"'), 'tiến độ')
    await eventually(learner, '/learning', (html) => html.replaceAll('<!-- -->', '').includes('<progress max="2" value="1"'), 'Học tập của tôi: tiến độ')
    // A course's title (the content, '*'): My learning lists it anew.
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
    await db().course.update({ where: { id: course.id }, data: { title: 'Khoá Thử Đổi Tên' } })
    try {
      await eventually(learner, '/learning', (html) => html.includes('Khoá Thử Đổi Tên'), 'tên khoá học')
    } finally {
      await db().course.update({ where: { id: course.id }, data: { title: course.title } })
    }
    // The enrolment removed: not enrolled any more.
    await db().lessonProgress.deleteMany({ where: { enrolmentId: enrolment.id } })
    await db().enrolment.delete({ where: { id: enrolment.id } })
    await eventually(learner, '/learning', (html) => !html.includes('<progress max="2"'), 'bỏ ghi danh')
    // Deactivated: never served as them again.
    await db().user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } })
    try {
      await eventually(learner, LESSON, (html) => !html.includes('Giáo Viên Đổi Tên'), 'ngừng hoạt động')
    } finally {
      await db().user.update({ where: { id: user.id }, data: { deactivatedAt: null } })
    }
  })

  it('a session ended elsewhere (signed out everywhere) is not served from memory', async () => {
    const learner = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'quanly@banso.example' } })
    expect((await cached(learner, LESSON)).html).toContain(user.fullName)
    await db().session.deleteMany({ where: { userId: user.id } })
    const after = await eventually(learner, LESSON, (html) => !html.includes(user.fullName), 'phiên đã xoá')
    expect(after.source).toBeNull()
  })

  it("the person's own write is seen at once: every write with a session sets a new write stamp", async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    await cached(learner, LESSON)
    const before = learner.cookies.get(WRITE_STAMP_COOKIE)
    const posted = await learner.post(COURSE, { intent: 'enrol' })
    expect(posted.headers.getSetCookie().some((c) => c.startsWith(`${WRITE_STAMP_COOKIE}=`) && /HttpOnly/i.test(c) && /SameSite=Lax/i.test(c))).toBe(true)
    expect(learner.cookies.get(WRITE_STAMP_COOKIE)).not.toBe(before)
    // The page after the write is read afresh (the new stamp) and kept for that stamp.
    expect((await page(learner, LESSON)).source).toBe('read')
    await cached(learner, LESSON)
    // A write with the triggers off, then only a new stamp: the next page reads the row again, at
    // once — no notification is involved, so another process serving the next page would too.
    await silently('UPDATE app_user SET full_name = $2 WHERE id = $1', [user.id, 'Tên Mới Của Tôi'])
    try {
      expect((await page(learner, LESSON)).html).not.toContain('Tên Mới Của Tôi')
      learner.cookies.set(WRITE_STAMP_COOKIE, 'sau-khi-ghi')
      const fresh = await page(learner, LESSON)
      expect(fresh.source).toBe('read')
      expect(fresh.html).toContain('Tên Mới Của Tôi')
    } finally {
      await db().user.update({ where: { id: user.id }, data: { fullName: user.fullName } })
    }
    // A POST without a session gets no stamp.
    const anonymous = await fetch(server.base + '/login', { method: 'POST', headers: { Origin: server.base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'identifier=x&password=y', redirect: 'manual' })
    expect(anonymous.headers.getSetCookie().some((c) => c.startsWith(`${WRITE_STAMP_COOKIE}=`))).toBe(false)
  })

  it('serves nothing from memory while its LISTEN connection is down, and starts empty when it is back', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    await cached(learner, LESSON)
    const database = new URL(server.t.url!).pathname.slice(1)
    const killed = await db().$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN "personal_facts"'`,
      database,
    )
    expect(killed[0]!.n).toBeGreaterThan(0)
    // Down (the connection's end noticed: nothing from memory), then a silent change: never stale.
    const until = Date.now() + 15_000
    while ((await page(learner, LESSON)).source !== 'off') {
      if (Date.now() > until) throw new Error('bộ nhớ đệm vẫn dùng khi mất kết nối LISTEN')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await silently('UPDATE app_user SET full_name = $2 WHERE id = $1', [user.id, 'Tên Lúc Mất Kết Nối'])
    try {
      const during = await page(learner, LESSON)
      expect(during.source).not.toBe('hit')
      expect(during.html).toContain('Tên Lúc Mất Kết Nối')
      // Back (reconnected within seconds): hits again, and what it keeps is what it read after.
      const back = await cached(learner, LESSON)
      expect(back.html).toContain('Tên Lúc Mất Kết Nối')
    } finally {
      await db().user.update({ where: { id: user.id }, data: { fullName: user.fullName } })
    }
  })
})

else describe('the personal facts cache on PGlite', () => {
  it('is off (one process, no LISTEN connection), and a change is seen on the next page', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    for (let i = 0; i < 3; i++) expect((await page(learner, LESSON)).source).toBe('off')
    await db().user.update({ where: { id: user.id }, data: { fullName: 'Tên Trên PGlite' } })
    try {
      expect((await page(learner, LESSON)).html).toContain('Tên Trên PGlite')
    } finally {
      await db().user.update({ where: { id: user.id }, data: { fullName: user.fullName } })
    }
  })
})
