// Reminders and escalation (docs/decisions/022), against a real SMTP server on 127.0.0.1 and the
// report fixture's small province, with the clock advanced by passing `now`:
// - day 0: certificates expiring or expired and an overdue course reach the right people, in
//   Vietnamese (English for a person who chose it), once — again after a "restart" — and a person
//   without email gets the in-app notification only;
// - days 5 and 9: managers get one digest a day listing people overdue beyond their agency's grace
//   period, then the managers one level up; a paused agency's managers get none; two runners at once
//   (two Prisma clients; on day 12 two real child processes on PostgreSQL) send each digest once;
// - day 16: a person who turned emails off gets none; a refused mailbox is logged FAILED with the
//   server's answer and retried until its attempts run out.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { enqueueJob, retryDelayMs, runDueJobs } from '~/modules/jobs/runner.server'
import { reminderJobs, runReminders, saveAgencySettings, scheduleDailyReminders, setEmailReminders, type MailEnv } from '~/modules/reminders/service.server'
import { staffKeys } from '~/modules/roster/keys'
import type { Actor } from '~/modules/scope/scope.server'
import { openDatabase, type Database } from '~/utils/db.server'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { decodeMail, startSmtpServer, type TestSmtp } from '../setup/smtp'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let second: Database | null = null
let f: ReportFixture
let smtp: TestSmtp
let env: MailEnv
let admin: Actor
let provinceManager: string
let noEmailUser: string
const T0 = Date.now()
const at = (days: number) => new Date(T0 + days * DAY)
const db = () => t.db.prisma as PrismaClient

/** One run of the day as a server process does it: the daily job, then the mails it queued. */
async function runDay(days: number, client: PrismaClient = db()) {
  const now = at(days)
  const result = await runReminders(client, env, now)
  await runDueJobs(client, reminderJobs(() => env), { now: () => now })
  return result
}

let seen = 0
/** The mails received since the last call, decoded. */
function newMails() {
  const mails = smtp.received.slice(seen).map(decodeMail)
  seen = smtp.received.length
  return mails
}
const mailTo = (mails: ReturnType<typeof newMails>, address: string) => mails.filter((m) => m.to.includes(address))

beforeAll(async () => {
  smtp = await startSmtpServer({ rejectRecipient: (address) => address.startsWith('khong-ton-tai@') })
  t = await openMigratedDatabase()
  f = await buildReportFixture(db(), new Date(T0))
  env = { SMTP_URL: smtp.url, SMTP_FROM: 'Bản Số <nhac-viec@banso.example>', APP_ORIGIN: 'https://banso.example' }
  admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  // a2 reads Bản Số in English.
  await db().user.update({ where: { id: f.users.a2! }, data: { locale: 'en' } })
  // A manager of the province (the level above the communes).
  const p = await db().user.create({
    data: { fullName: 'Quản lý Tỉnh', email: 'ql.p@report.example', kind: 'CIVIL_SERVANT', agencyId: f.agencies.P, ...userKeys({ fullName: 'Quản lý Tỉnh', email: 'ql.p@report.example' }) },
  })
  await db().roleGrant.create({ data: { userId: p.id, role: 'AGENCY_MANAGER', agencyId: f.agencies.P } })
  provinceManager = p.id
  // In X1, a person who signs in with a phone number and has no email address (assigned C1, overdue).
  const person = async (name: string, code: string, agencyId: string, email: string | null) => {
    const phone = email ? null : '+84912000111'
    const u = await db().user.create({ data: { fullName: name, email, phone, kind: 'CIVIL_SERVANT', agencyId, ...userKeys({ fullName: name, email, phone }) } })
    await db().staffRecord.create({ data: { staffCode: code, fullName: name, agencyId, userId: u.id, jobTitle: 'Công chức', ...staffKeys({ staffCode: code, fullName: name, email }) } })
    return u.id
  }
  noEmailUser = await person('Người không mail', 'NV-NOMAIL', f.agencies.X1, null)
  // In D (C1 due in 30 days), a person whose mailbox the server refuses.
  await person('Người hộp thư hỏng', 'NV-BOUNCE', f.agencies.D, 'khong-ton-tai@report.example')
  if (t.url) second = await openDatabase({ databaseUrl: t.url, pgliteDataDir: '', poolSize: 2 })
})

afterAll(async () => {
  await second?.close()
  await t?.dispose()
  await smtp?.close()
})

describe('reminders', () => {
  it('enqueues a job once per key, whatever its state', async () => {
    expect(await enqueueJob(db(), { kind: 'test.noop', key: 'test:once' })).toBe(true)
    expect(await enqueueJob(db(), { kind: 'test.noop', key: 'test:once' })).toBe(false)
    expect(await db().job.count({ where: { key: 'test:once' } })).toBe(1)
    await db().job.deleteMany({ where: { key: 'test:once' } })
  })

  it('queues the daily run once the hour has come, once per day', async () => {
    // 06:59 and 07:00 in Vietnam (UTC+7).
    expect(await scheduleDailyReminders(db(), new Date('2026-03-10T23:59:00Z'), 7)).toBe(false)
    expect(await scheduleDailyReminders(db(), new Date('2026-03-11T00:00:00Z'), 7)).toBe(true)
    expect(await scheduleDailyReminders(db(), new Date('2026-03-11T09:00:00Z'), 7)).toBe(false)
    expect(await db().job.findMany({ where: { kind: 'reminders.daily' }, select: { key: true } })).toEqual([{ key: 'reminders.daily:2026-03-11' }])
    await db().job.deleteMany({ where: { kind: 'reminders.daily' } })
  })

  it('day 0: tells each person of their certificates and overdue courses, in their language, by mail and in the app', async () => {
    const result = await runDay(0)
    expect(result).toEqual({ personal: 4, digests: 0, mails: 3 })
    const mails = newMails()
    expect(mails).toHaveLength(3)

    const [a1] = mailTo(mails, 'a1@report.example')
    expect(a1!.subject).toBe('Bản Số: Chứng chỉ “Khoá Một” sẽ hết hạn sau 30 ngày')
    expect(a1!.text).toContain('Chào Người a1,')
    expect(a1!.text).toMatch(/Chứng chỉ số T-\d+-\d+ hết hạn ngày \d+ tháng \d+, \d{4}\./)
    expect(a1!.text).toContain('https://banso.example/courses/c-mot')

    const [a2] = mailTo(mails, 'a2@report.example')
    expect(a2!.subject).toBe('Bản Số: Your “Khoá Một” certificate has expired')
    expect(a2!.text).toContain('Hello Người a2,')

    const [s1] = mailTo(mails, 's1@report.example')
    expect(s1!.subject).toBe('Bản Số: Đã quá hạn hoàn thành khoá “Khoá Một”')
    expect(s1!.text).toContain('người quản lý đơn vị sẽ được báo')

    // Nobody else: not the people who completed, not the renewed certificate, not the revoked one.
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['a1@report.example', 'a2@report.example', 's1@report.example'])

    // In the app: the same three, and the person without email.
    const notes = await db().notification.findMany({ select: { userId: true, rule: true } })
    expect(notes.map((n) => `${n.rule}`).sort()).toEqual(['assignment.overdue', 'assignment.overdue', 'certificate.exp30', 'certificate.expired'])
    expect(notes.find((n) => n.userId === noEmailUser)?.rule).toBe('assignment.overdue')
    expect(await db().reminderDelivery.count({ where: { userId: noEmailUser } })).toBe(0)

    // The delivery log: what, to whom, the server's answer.
    const log = await db().reminderDelivery.findMany({ orderBy: { toAddress: 'asc' } })
    expect(log.map((d) => [d.toAddress, d.rule, d.status, d.attempts])).toEqual([
      ['a1@report.example', 'certificate.exp30', 'SENT', 1],
      ['a2@report.example', 'certificate.expired', 'SENT', 1],
      ['s1@report.example', 'assignment.overdue', 'SENT', 1],
    ])
    for (const d of log) expect(d.response).toMatch(/^250\b/)
  })

  it('day 0 again, as after a restart: nothing is sent twice', async () => {
    expect(await runDay(0)).toEqual({ personal: 0, digests: 0, mails: 0 })
    // A "restart": new handlers, a new run of the daily job through the job table.
    const now = at(0)
    await enqueueJob(db(), { kind: 'reminders.daily', key: 'reminders.daily:restart-test', runAt: now })
    expect(await runDueJobs(db(), reminderJobs(() => env), { now: () => now })).toMatchObject({ done: 1, failed: 0 })
    expect(newMails()).toEqual([])
    expect(await db().notification.count()).toBe(4)
  })

  it('day 5: past the grace period of X1 (3 days) its manager gets one digest listing the people; two runners at once send it once', async () => {
    await saveAgencySettings(db(), admin, { agencyId: f.agencies.X1, graceDays: 3, digestsPaused: false }, null)
    await saveAgencySettings(db(), admin, { agencyId: f.agencies.X3, graceDays: null, digestsPaused: true }, null)
    // Two processes on one PostgreSQL (on PGlite, one process: two runs at once on its one connection).
    const other = (second?.prisma as PrismaClient | undefined) ?? db()
    await Promise.all([runDay(5), runDay(5, other)])
    const mails = newMails()
    expect(mails.flatMap((m) => m.to)).toEqual(['ql.x1@report.example'])
    const digest = mails[0]!
    expect(digest.subject).toBe('Bản Số: Tổng hợp ngày ' + new Intl.DateTimeFormat('vi', { dateStyle: 'long', timeZone: 'Asia/Ho_Chi_Minh' }).format(at(5)) + ': 3 người quá hạn học tập')
    for (const name of ['Người a4 (Xã Một)', 'Người s1 (Trường Một)', 'Người không mail (Xã Một)']) expect(digest.text).toContain(name)
    expect(digest.text).toContain('quá 6 ngày')
    expect(digest.text).not.toContain('báo lên cấp trên')
    expect(await db().notification.count({ where: { rule: 'digest' } })).toBe(1)
  })

  it('day 9: beyond twice the grace period the province manager is told too; the paused commune’s manager is not', async () => {
    await runDay(9)
    const mails = newMails()
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['ql.p@report.example', 'ql.x1@report.example'])
    const [province] = mailTo(mails, 'ql.p@report.example')
    expect(province!.text.match(/^- /gm)).toHaveLength(3)
    expect(province!.text).toContain('Người a4 (Xã Một) — khoá “Khoá Một”')
    expect(province!.text).toContain('(báo lên cấp trên)')
    // c2 (X3, a teacher without account, C2 overdue 10 days > 7): X3's digests are paused.
    expect(mails.some((m) => m.text.includes('Người c2'))).toBe(false)
    expect(await db().notification.count({ where: { userId: provinceManager, rule: 'digest' } })).toBe(1)
  })

  it.skipIf(!process.env.DATABASE_URL)('day 12: two server processes on one PostgreSQL run the day at once; each digest is sent once', async () => {
    const child = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/setup/reminders-child.ts', t.url!, at(12).toISOString(), smtp.url], { timeout: 170_000 }).then(
        ({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as { pid: number; made: { digests: number }; jobs: { done: number } },
      )
    const [one, two] = await Promise.all([child(), child()])
    expect(one.pid).not.toBe(two.pid)
    expect(one.made.digests + two.made.digests).toBe(2)
    expect(one.jobs.done + two.jobs.done).toBe(2)
    const mails = newMails()
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['ql.p@report.example', 'ql.x1@report.example'])
  })

  it('day 16: a person who turned emails off is told in the app only; a refused mailbox is logged and retried, then given up', async () => {
    await setEmailReminders(db(), f.users.d2!, false)
    await runDay(16)
    const mails = newMails()
    // d2's course is due in 14 days: in the app only.
    expect(mails.some((m) => m.to.includes('d2@report.example'))).toBe(false)
    expect(await db().notification.count({ where: { userId: f.users.d2!, rule: 'assignment.due14' } })).toBe(1)
    // The refused mailbox: FAILED with the server's answer, the job queued again for later.
    const bounce = await db().reminderDelivery.findFirstOrThrow({ where: { toAddress: 'khong-ton-tai@report.example' } })
    expect(bounce.status).toBe('FAILED')
    expect(bounce.response).toMatch(/550/)
    const job = await db().job.findUniqueOrThrow({ where: { key: `mail:${bounce.key}` } })
    expect(job).toMatchObject({ status: 'QUEUED', attempts: 1 })
    // Retried at each delay until the attempts run out.
    let now = at(16).getTime()
    for (let attempt = 1; attempt < 5; attempt++) {
      now += retryDelayMs(attempt) + 1000
      await runDueJobs(db(), reminderJobs(() => env), { now: () => new Date(now) })
    }
    expect(await db().job.findUniqueOrThrow({ where: { key: `mail:${bounce.key}` } })).toMatchObject({ status: 'FAILED', attempts: 5 })
    expect(await db().reminderDelivery.findUniqueOrThrow({ where: { key: bounce.key } })).toMatchObject({ status: 'FAILED', attempts: 5 })
    expect(mails.filter((m) => m.to.includes('khong-ton-tai@report.example'))).toEqual([])
  })
  it('periodic reports: the agency’s managers are told 7 days before the due date, when it is missing, and of each returned version', async () => {
    const due = at(30)
    const period = await db().reportingPeriod.create({
      data: { kind: 'QUARTER', year: 2031, number: 1, startsOn: new Date('2031-01-01'), endsOn: new Date('2031-03-31'), dueAt: due },
    })
    const open = await db().periodReport.create({ data: { periodId: period.id, agencyId: f.agencies.X1, status: 'OPEN' } })
    await db().periodReport.create({ data: { periodId: period.id, agencyId: f.agencies.X3, status: 'RETURNED', version: 1 } })
    newMails()
    await runDay(25)
    const reports = newMails().filter((m) => m.subject.includes('Quý'))
    expect(reports.map((m) => [m.to.join(), m.subject]).sort()).toEqual([
      ['ql.x1@report.example', 'Bản Số: Còn 5 ngày để gửi báo cáo Quý 1 năm 2031 của Xã Một'],
      ['ql.x3@report.example', 'Bản Số: Báo cáo Quý 1 năm 2031 của Xã Ba bị trả lại'],
      ['ql.x3@report.example', 'Bản Số: Còn 5 ngày để gửi báo cáo Quý 1 năm 2031 của Xã Ba'],
    ])
    expect(reports[0]!.text).toContain(`https://banso.example/reports/periods/${period.id}/`)
    // Once only; then missing after the due date; nothing for a submitted report.
    await runDay(26)
    expect(newMails().filter((m) => m.subject.includes('Quý'))).toEqual([])
    await db().periodReport.update({ where: { id: open.id }, data: { status: 'SUBMITTED', version: 1 } })
    await runDay(31)
    expect(newMails().filter((m) => m.subject.includes('Quý')).map((m) => [m.to.join(), m.subject])).toEqual([
      ['ql.x3@report.example', 'Bản Số: Báo cáo Quý 1 năm 2031 của Xã Ba đã quá hạn gửi'],
    ])
  })
})
