// The pages of reminders over the real HTTP stack, without JavaScript (plain form posts): the
// header's unread count, the notifications page (mark read, the email choice, someone else's
// notification untouched, a bad id a 400), and /admin/reminders (settings inside the manager's
// subtree only, a bad grace period kept and refused, preview and "send now" for admins only, with
// confirmation, audited).
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const db = () => server.t.db.prisma as PrismaClient
const learner = () => new Browser(server.base)
let learnerId: string
let managerId: string

async function signedIn(email: string, password: string): Promise<Browser> {
  const b = learner()
  expect((await b.signIn(email, password)).status).toBe(303)
  return b
}

beforeAll(async () => {
  server = await startTestServer()
  learnerId = (await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
  managerId = (await db().user.findUniqueOrThrow({ where: { email: 'quanly@banso.example' } })).id
})

afterAll(async () => {
  await server?.close()
})

describe('notifications page', () => {
  it('shows the unread count in the header, lists the notification in Vietnamese and marks it read', async () => {
    const mine = await db().notification.create({
      data: { userId: learnerId, key: 'test:learner:1', rule: 'assignment.due3', params: { course: 'Tin học cơ bản', date: '2026-12-05', days: 3 }, link: '/courses' },
    })
    const theirs = await db().notification.create({
      data: { userId: managerId, key: 'test:manager:1', rule: 'certificate.exp7', params: { course: 'Dịch vụ công', date: '2026-12-09', days: 7, number: 'LC-2026-000001' } },
    })
    const b = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const home = await (await b.get('/learning')).text()
    expect(textOf(home)).toContain('Thông báo (1)')
    const page = textOf(await (await b.get('/notifications')).text())
    expect(page).toContain('Chỉ còn 3 ngày để hoàn thành khoá “Tin học cơ bản”')
    expect(page).toContain('Hạn hoàn thành khoá học “Tin học cơ bản” là ngày 5 tháng 12, 2026.')

    // Someone else's notification: nothing changes (and the answer is not an error page).
    expect((await b.post('/notifications', { intent: 'read', id: theirs.id })).status).toBe(200)
    expect((await db().notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull()
    // A malformed id: a 400, not a 500.
    expect((await b.post('/notifications', { intent: 'read', id: 'abc' })).status).toBe(400)

    const read = await b.post('/notifications', { intent: 'read', id: mine.id })
    expect(read.status).toBe(200)
    expect(textOf(await read.text())).toContain('Đã đánh dấu đã đọc.')
    expect((await db().notification.findUniqueOrThrow({ where: { id: mine.id } })).readAt).not.toBeNull()
    expect(textOf(await (await b.get('/learning')).text())).not.toContain('Thông báo (1)')
  })

  it('keeps the person’s choice of reminder emails', async () => {
    const b = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await b.post('/notifications', { intent: 'email' })).status).toBe(200)
    expect((await db().user.findUniqueOrThrow({ where: { id: learnerId } })).emailReminders).toBe(false)
    expect((await b.post('/notifications', { intent: 'email', emailReminders: 'on' })).status).toBe(200)
    expect((await db().user.findUniqueOrThrow({ where: { id: learnerId } })).emailReminders).toBe(true)
  })

  it('is in English for an English reader', async () => {
    const b = await signedIn('hocvien@banso.example', 'HocVien@2026')
    b.cookies.set('lang', 'en')
    const page = textOf(await (await b.get('/notifications')).text())
    expect(page).toContain('Only 3 days left to complete “Tin học cơ bản”')
    expect(page).toContain('Email me my reminders')
  })

  it('asks anonymous visitors to sign in', async () => {
    const response = await learner().get('/notifications')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/^\/login/)
  })
})

describe('/admin/reminders', () => {
  it('is refused to a learner', async () => {
    const b = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await b.get('/admin/reminders')).status).toBe(403)
  })

  it('lets a manager set the grace period of an agency in their subtree only, keeping what was typed on an error', async () => {
    const b = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const own = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
    const other = await db().agency.findUniqueOrThrow({ where: { code: 'LC-SNV' } })
    const page = await b.get('/admin/reminders')
    expect(page.status).toBe(200)
    // Not an admin: no log, no "send now".
    const html = await page.text()
    expect(html).not.toContain('name="intent" value="run"')

    const bad = await b.post('/admin/reminders', { intent: 'settings', agencyId: own.id, graceDays: 'mười' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('value="mười"')
    expect(badHtml).toMatch(/id="rs-grace"[^>]*aria-invalid="true"/)

    const outside = await b.post('/admin/reminders', { intent: 'settings', agencyId: other.id, graceDays: '3' })
    expect(outside.status).toBe(404)
    expect(await db().agencyReminderSetting.count()).toBe(0)

    const saved = await b.post('/admin/reminders', { intent: 'settings', agencyId: own.id, graceDays: '3', digestsPaused: 'on' })
    expect(saved.status).toBe(200)
    expect(textOf(await saved.text())).toContain('Đã lưu cài đặt nhắc việc của Xã Bắc Hà.')
    expect(await db().agencyReminderSetting.findUniqueOrThrow({ where: { agencyId: own.id } })).toMatchObject({ graceDays: 3, digestsPaused: true, updatedById: managerId })
    expect(await db().auditLog.count({ where: { action: 'reminders.settings', actorId: managerId, targetId: own.id } })).toBe(1)
    // A manager cannot run the reminders.
    expect((await b.post('/admin/reminders', { intent: 'run', confirm: 'yes' })).status).toBe(403)
  })

  it('shows admins a preview and runs the reminders only with the confirmation box ticked', async () => {
    const b = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const preview = await b.get('/admin/reminders?preview=1')
    expect(preview.status).toBe(200)
    expect(await preview.text()).toContain('data-testid="reminder-preview"')
    expect(await db().notification.count({ where: { key: { startsWith: 'assignment.' } } })).toBe(0)

    const unconfirmed = await b.post('/admin/reminders', { intent: 'run' })
    expect(unconfirmed.status).toBe(400)
    expect(await db().auditLog.count({ where: { action: 'reminders.run' } })).toBe(0)

    const run = await b.post('/admin/reminders', { intent: 'run', confirm: 'yes' })
    expect(run.status).toBe(200)
    expect(textOf(await run.text())).toMatch(/Đã chạy nhắc việc: \d+ thông báo cá nhân mới, \d+ thư tổng hợp, 0 thư đang chờ gửi\./)
    expect(await db().auditLog.count({ where: { action: 'reminders.run' } })).toBe(1)
    const log = await b.get('/admin/reminders?status=FAILED&page=1')
    expect(log.status).toBe(200)
    expect(await log.text()).toContain('Chưa gửi thư nhắc việc nào.')
  })
})
