// Reminders (docs/decisions/022): the daily run makes each due reminder once (an in-app
// notification whose key names it) and queues one email per reminder for people who have an email
// address and want reminder emails; managers get one digest a day listing the people overdue beyond
// their agency's grace period. Mails are sent by the job runner (../jobs), outside any transaction,
// and every attempt is written to the delivery log with the mail server's answer.
import type { DeliveryStatus, Prisma, PrismaClient } from '@prisma/client'
import { z } from 'zod'
import { audit } from '~/modules/audit/service.server'
import { agencyScope, inScope, type Actor } from '~/modules/scope/scope.server'
import { enqueueJob, type JobHandler } from '~/modules/jobs/runner.server'
import { AppError } from '~/utils/errors'
import { sendMail } from '~/utils/mail.server'
import { digestMail, localeOf, personalMail, renderNotification, type NotificationParams } from './render'
import { dueReminders, type DueReminders, type ManagerDigest, type PersonalReminder } from './rules.server'
import { vietnamDay, vietnamHour } from './stages'

export interface MailEnv {
  SMTP_URL?: string
  SMTP_FROM: string
  APP_ORIGIN?: string
}

export const DAILY_JOB = 'reminders.daily'
export const MAIL_JOB = 'mail.send'

export interface RunResult {
  /** New personal notifications made by this run. */
  personal: number
  /** New manager digests. */
  digests: number
  /** Emails queued. */
  mails: number
}

const CHUNK = 200

function wantsMail(env: MailEnv, r: { email: string | null; emailReminders: boolean }): r is { email: string; emailReminders: true } {
  return Boolean(env.SMTP_URL && r.email && r.emailReminders)
}

async function known(db: PrismaClient, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db.notification.findMany({ where: { key: { in: keys.slice(i, i + 1000) } }, select: { key: true } })
    for (const r of rows) found.add(r.key)
  }
  return found
}

interface Outgoing {
  key: string
  userId: string
  rule: string
  params: NotificationParams
  link: string
  mail: { to: string; subject: string; text: string } | null
}

function personalOutgoing(env: MailEnv, r: PersonalReminder): Outgoing {
  const locale = localeOf(r.recipient.locale)
  return {
    key: r.key,
    userId: r.recipient.userId,
    rule: r.rule,
    params: r.params,
    link: r.link,
    mail: wantsMail(env, r.recipient) ? { to: r.recipient.email!, ...personalMail(r.rule, r.params, r.recipient.fullName, r.link, env.APP_ORIGIN ?? '', locale) } : null,
  }
}

function digestOutgoing(env: MailEnv, d: ManagerDigest): Outgoing {
  const locale = localeOf(d.recipient.locale)
  return {
    key: d.key,
    userId: d.recipient.userId,
    rule: 'digest',
    params: { date: d.day, count: d.entries.length },
    link: '/reports',
    mail: wantsMail(env, d.recipient) ? { to: d.recipient.email!, ...digestMail(d.entries, d.day, d.recipient.fullName, env.APP_ORIGIN ?? '', locale) } : null,
  }
}

/**
 * Writes the notifications (and queues their emails) that do not exist yet. Each chunk is one
 * transaction: a notification never exists without its queued email. Two runs at once (two
 * processes, "send now" beside the timer) make each notification once: the key is unique and the
 * loser's insert does nothing.
 */
async function deliver(db: PrismaClient, items: Outgoing[], now: Date): Promise<{ made: number; mails: number }> {
  let made = 0
  let mails = 0
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK)
    const counts = await db.$transaction(async (tx) => {
      let madeHere = 0
      let mailsHere = 0
      for (const item of chunk) {
        const inserted = await tx.$executeRaw`
          INSERT INTO notification (user_id, key, rule, params, link, created_at)
          VALUES (${item.userId}::uuid, ${item.key}, ${item.rule}, ${JSON.stringify(item.params)}::jsonb, ${item.link}, ${now})
          ON CONFLICT (key) DO NOTHING`
        if (inserted !== 1) continue
        madeHere++
        if (!item.mail) continue
        await tx.reminderDelivery.create({
          data: { key: item.key, userId: item.userId, rule: item.rule, toAddress: item.mail.to, subject: item.mail.subject, createdAt: now, updatedAt: now },
        })
        await enqueueJob(tx, { kind: MAIL_JOB, key: `mail:${item.key}`, payload: { key: item.key, to: item.mail.to, subject: item.mail.subject, text: item.mail.text }, runAt: now })
        mailsHere++
      }
      return { madeHere, mailsHere }
    })
    made += counts.madeHere
    mails += counts.mailsHere
  }
  return { made, mails }
}

/** What is due at `now` and was not made before (the one read behind a preview and a run). */
async function freshReminders(db: PrismaClient, now: Date): Promise<DueReminders> {
  const due = await dueReminders(db, now)
  const done = await known(db, [...due.personal.map((p) => p.key), ...due.digests.map((d) => d.key)])
  return { personal: due.personal.filter((p) => !done.has(p.key)), digests: due.digests.filter((d) => !done.has(d.key)) }
}

export interface Preview {
  personal: { key: string; rule: string; to: string; title: string }[]
  digests: { key: string; to: string; count: number }[]
}

/** What a run at `now` would make, without writing anything (the admin's preview). */
export async function previewReminders(db: PrismaClient, now: Date, locale: 'vi' | 'en' = 'vi'): Promise<Preview> {
  const fresh = await freshReminders(db, now)
  return {
    personal: fresh.personal.map((p) => ({ key: p.key, rule: p.rule, to: p.recipient.fullName, title: renderNotification(p.rule, p.params, locale).title })),
    digests: fresh.digests.map((d) => ({ key: d.key, to: d.recipient.fullName, count: d.entries.length })),
  }
}

/** The daily run: every reminder due at `now` that was not made before. */
export async function runReminders(db: PrismaClient, env: MailEnv, now: Date = new Date()): Promise<RunResult> {
  const fresh = await freshReminders(db, now)
  const personal = await deliver(db, fresh.personal.map((p) => personalOutgoing(env, p)), now)
  const digests = await deliver(db, fresh.digests.map((d) => digestOutgoing(env, d)), now)
  return { personal: personal.made, digests: digests.made, mails: personal.mails + digests.mails }
}

/** Queues today's run once the hour has come (the key is the day: once, whichever process queues it). */
export async function scheduleDailyReminders(db: PrismaClient, now: Date, hour: number): Promise<boolean> {
  if (vietnamHour(now) < hour) return false
  const day = vietnamDay(now)
  return enqueueJob(db, { kind: DAILY_JOB, key: `${DAILY_JOB}:${day}`, payload: { day }, runAt: now, maxAttempts: 3 })
}

const MailPayload = z.object({ key: z.string().min(1), to: z.string().min(3), subject: z.string(), text: z.string() })

function smtpAnswer(error: unknown): string {
  const e = error as { response?: string; responseCode?: number; message?: string }
  return (e?.response ?? e?.message ?? String(error)).slice(0, 1000)
}

async function markDelivery(db: PrismaClient, key: string, status: DeliveryStatus, response: string | null, now: Date): Promise<void> {
  await db.reminderDelivery.update({ where: { key }, data: { status, response, attempts: { increment: status === 'SKIPPED' ? 0 : 1 }, updatedAt: now } })
}

/** The job handlers of reminders, for the runner. */
export function reminderJobs(env: () => MailEnv): Record<string, JobHandler> {
  return {
    [DAILY_JOB]: async (_job, { db, now }) => {
      await runReminders(db, env(), now)
    },
    [MAIL_JOB]: async (job, { db, now }) => {
      const payload = MailPayload.parse(job.payload)
      const delivery = await db.reminderDelivery.findUnique({ where: { key: payload.key }, select: { status: true, user: { select: { emailReminders: true } } } })
      if (!delivery || delivery.status === 'SENT' || delivery.status === 'SKIPPED') return
      const mailEnv = env()
      if (delivery.user && !delivery.user.emailReminders) return markDelivery(db, payload.key, 'SKIPPED', 'email reminders turned off', now)
      if (!mailEnv.SMTP_URL) return markDelivery(db, payload.key, 'SKIPPED', 'SMTP_URL is not set', now)
      try {
        const response = await sendMail(mailEnv, { to: payload.to, subject: payload.subject, text: payload.text })
        await markDelivery(db, payload.key, 'SENT', response, now)
      } catch (error) {
        await markDelivery(db, payload.key, 'FAILED', smtpAnswer(error), now)
        throw error
      }
    },
  }
}

// ── The person's notifications ───────────────────────────────────────────────────────────────

export const NOTIFICATIONS_PER_PAGE = 20

export async function unreadCount(db: PrismaClient, userId: string): Promise<number> {
  return db.notification.count({ where: { userId, readAt: null } })
}

export async function listNotifications(db: PrismaClient, userId: string, page: number) {
  const [total, rows] = await Promise.all([
    db.notification.count({ where: { userId } }),
    db.notification.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * NOTIFICATIONS_PER_PAGE,
      take: NOTIFICATIONS_PER_PAGE,
      select: { id: true, rule: true, params: true, link: true, createdAt: true, readAt: true },
    }),
  ])
  return { rows, pages: Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE)) }
}

/** Marks one of the person's notifications read (someone else's id changes nothing). */
export async function markRead(db: PrismaClient, userId: string, id: string | 'all', now = new Date()): Promise<number> {
  const { count } = await db.notification.updateMany({ where: { userId, readAt: null, ...(id === 'all' ? {} : { id }) }, data: { readAt: now } })
  return count
}

export async function setEmailReminders(db: PrismaClient, userId: string, on: boolean): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { emailReminders: on } })
}

// ── Agency settings (managers in their subtree, admins everywhere) ───────────────────────────

export const SettingsSchema = z.object({
  agencyId: z.string().uuid({ message: 'agencyRequired' }),
  graceDays: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z.coerce.number({ invalid_type_error: 'graceInvalid' }).int({ message: 'graceInvalid' }).min(0, { message: 'graceInvalid' }).max(365, { message: 'graceInvalid' }).nullable(),
  ),
  digestsPaused: z.preprocess((v) => v === 'on' || v === 'yes' || v === 'true', z.boolean()),
})
export type SettingsInput = z.output<typeof SettingsSchema>

export async function saveAgencySettings(db: PrismaClient, actor: Actor, input: SettingsInput, ip: string | null): Promise<{ agencyName: string }> {
  const scope = await agencyScope(db, actor)
  const agency = await db.agency.findUnique({ where: { id: input.agencyId }, select: { id: true, name: true, status: true } })
  if (!agency || agency.status !== 'ACTIVE' || !inScope(scope, agency.id)) throw new AppError('NOT_FOUND', 'agency.notFound')
  await db.$transaction(async (tx) => {
    await tx.agencyReminderSetting.upsert({
      where: { agencyId: agency.id },
      create: { agencyId: agency.id, graceDays: input.graceDays, digestsPaused: input.digestsPaused, updatedById: actor.id },
      update: { graceDays: input.graceDays, digestsPaused: input.digestsPaused, updatedById: actor.id, updatedAt: new Date() },
    })
    await audit(tx, {
      action: 'reminders.settings',
      actorId: actor.id,
      targetType: 'agency',
      targetId: agency.id,
      ip,
      details: { graceDays: input.graceDays, digestsPaused: input.digestsPaused },
    })
  })
  return { agencyName: agency.name }
}

export async function listAgencySettings(db: PrismaClient, actor: Actor) {
  const scope = await agencyScope(db, actor)
  const rows = await db.agencyReminderSetting.findMany({
    where: scope.ids === null ? {} : { agencyId: { in: [...scope.ids] } },
    select: { agencyId: true, graceDays: true, digestsPaused: true, agency: { select: { name: true } } },
  })
  const collator = new Intl.Collator('vi')
  return rows.sort((a, b) => collator.compare(a.agency.name, b.agency.name))
}

// ── The delivery log (admins) ────────────────────────────────────────────────────────────────

export const DELIVERIES_PER_PAGE = 50

export async function listDeliveries(db: PrismaClient, { page, status }: { page: number; status: DeliveryStatus | null }) {
  const where: Prisma.ReminderDeliveryWhereInput = status ? { status } : {}
  const [total, rows] = await Promise.all([
    db.reminderDelivery.count({ where }),
    db.reminderDelivery.findMany({
      where,
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * DELIVERIES_PER_PAGE,
      take: DELIVERIES_PER_PAGE,
      select: { id: true, rule: true, toAddress: true, subject: true, status: true, response: true, attempts: true, updatedAt: true, user: { select: { fullName: true } } },
    }),
  ])
  return { rows, pages: Math.max(1, Math.ceil(total / DELIVERIES_PER_PAGE)) }
}

export async function runRemindersNow(db: PrismaClient, actor: Actor, env: MailEnv, ip: string | null, now = new Date()): Promise<RunResult> {
  const result = await runReminders(db, env, now)
  await audit(db, { action: 'reminders.run', actorId: actor.id, ip, details: { ...result } })
  return result
}
