// What reminders are due at `now`: read from the database, decided by the pure rules in ./stages.
// The people are the roster (staff records), as in the report (docs/decisions/009): an assignment
// applies to the staff of the agency it was made for and of every agency below it (matching job
// title, if it names any), and is done when the linked account has completed the course.
import type { Prisma, PrismaClient } from '@prisma/client'
import type { DigestLine } from './render'
import { assignmentStage, daysUntil, DEFAULT_GRACE_DAYS, escalationLevel, expiryStage, reportStage, vietnamDay, type Rule } from './stages'

type Db = PrismaClient | Prisma.TransactionClient

export interface Recipient {
  userId: string
  fullName: string
  email: string | null
  emailReminders: boolean
  locale: string
}

/** A reminder to one person. `key` names it: the same reminder is never made twice. */
export interface PersonalReminder {
  key: string
  rule: Rule
  recipient: Recipient
  params: Record<string, string | number>
  link: string
}

/** One person in a manager's digest (level 2: escalated from the level below). */
export type DigestEntry = DigestLine

/** One manager's daily digest: one message listing people, never one per person. */
export interface ManagerDigest {
  key: string
  recipient: Recipient
  day: string
  entries: DigestEntry[]
}

interface AssignmentRow {
  staff_name: string
  agency_id: string
  agency_name: string
  user_id: string | null
  user_name: string | null
  email: string | null
  email_reminders: boolean | null
  locale: string | null
  course_id: string
  slug: string
  title: string
  due_at: Date
}

interface CertificateRow {
  id: string
  user_id: string
  user_name: string
  email: string | null
  email_reminders: boolean
  locale: string
  slug: string
  course_title: string
  number: string
  expires_at: Date
}

const DAY_MS = 86_400_000

interface PeriodReportRow {
  report_id: string
  agency_id: string
  agency_name: string
  status: 'OPEN' | 'RETURNED'
  version: number
  period_id: string
  kind: string
  year: number
  number: number
  due_at: Date
}

/** Periodic reports (docs/decisions/020) not submitted and due within 8 days or past, or returned. */
async function pendingPeriodReports(db: Db, now: Date): Promise<PeriodReportRow[]> {
  const horizon = new Date(now.getTime() + 8 * DAY_MS)
  const since = new Date(now.getTime() - 92 * DAY_MS)
  return db.$queryRaw<PeriodReportRow[]>`
    SELECT r.id::text AS report_id, r.agency_id::text AS agency_id, a.name AS agency_name, r.status::text AS status, r.version,
      p.id::text AS period_id, p.kind::text AS kind, p.year, p.number, p.due_at
    FROM period_report r
    JOIN reporting_period p ON p.id = r.period_id
    JOIN agency a ON a.id = r.agency_id AND a.status = 'ACTIVE'
    WHERE (r.status = 'RETURNED' OR (r.status = 'OPEN' AND p.due_at < ${horizon})) AND p.due_at >= ${since}`
}

/** Assignments not completed whose due date is less than 15 days away (or past), per person and course. */
async function openAssignments(db: Db, now: Date): Promise<AssignmentRow[]> {
  const horizon = new Date(now.getTime() + 15 * DAY_MS)
  return db.$queryRaw<AssignmentRow[]>`
    SELECT s.full_name AS staff_name, s.agency_id::text AS agency_id, ag.name AS agency_name,
      u.id::text AS user_id, u.full_name AS user_name, u.email, u.email_reminders, u.locale,
      co.id::text AS course_id, co.slug, co.title, min(ca.due_at) AS due_at
    FROM course_assignment ca
    JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
    JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id
    JOIN staff_record s ON s.agency_id = cl.descendant_id
      AND (cardinality(ca.job_titles) = 0 OR s.job_title = ANY(ca.job_titles))
    JOIN agency ag ON ag.id = s.agency_id
    LEFT JOIN app_user u ON u.id = s.user_id AND u.deactivated_at IS NULL
    WHERE ca.due_at < ${horizon}
      AND NOT EXISTS (
        SELECT 1 FROM enrolment e
        WHERE e.user_id = s.user_id AND e.course_id = ca.course_id AND e.completed_at IS NOT NULL)
    GROUP BY s.id, s.full_name, s.agency_id, ag.name, u.id, u.full_name, u.email, u.email_reminders, u.locale, co.id, co.slug, co.title
    ORDER BY s.sort_key, co.title`
}

/** Current certificates (not revoked, not renewed) expiring within 60 days or expired lately. */
async function expiringCertificates(db: Db, now: Date): Promise<CertificateRow[]> {
  const until = new Date(now.getTime() + 62 * DAY_MS)
  const since = new Date(now.getTime() - 92 * DAY_MS)
  return db.$queryRaw<CertificateRow[]>`
    SELECT c.id::text AS id, u.id::text AS user_id, u.full_name AS user_name, u.email, u.email_reminders, u.locale,
      co.slug, co.title AS course_title, c.number, c.expires_at
    FROM certificate c
    JOIN app_user u ON u.id = c.user_id AND u.deactivated_at IS NULL
    JOIN course co ON co.id = c.course_id
    WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL
      AND c.expires_at IS NOT NULL AND c.expires_at < ${until} AND c.expires_at >= ${since}
      AND NOT EXISTS (
        SELECT 1 FROM certificate n
        WHERE n.user_id = c.user_id AND n.course_id = c.course_id AND n.id <> c.id
          AND n.revoked_at IS NULL AND n.superseded_by_id IS NULL
          AND (n.expires_at IS NULL OR n.expires_at > c.expires_at))`
}

interface AgencyNode {
  id: string
  parentId: string | null
  graceDays: number | null
  digestsPaused: boolean
}

interface Manager extends Recipient {
  agencyId: string
}

async function agencyTree(db: Db): Promise<Map<string, AgencyNode>> {
  const rows = await db.$queryRaw<{ id: string; parent_id: string | null; grace_days: number | null; digests_paused: boolean | null }[]>`
    SELECT a.id::text AS id, a.parent_id::text AS parent_id, s.grace_days, s.digests_paused
    FROM agency a LEFT JOIN agency_reminder_setting s ON s.agency_id = a.id
    WHERE a.status = 'ACTIVE'`
  return new Map(rows.map((r) => [r.id, { id: r.id, parentId: r.parent_id, graceDays: r.grace_days, digestsPaused: r.digests_paused ?? false }]))
}

async function managers(db: Db): Promise<Map<string, Manager[]>> {
  const rows = await db.$queryRaw<{ user_id: string; full_name: string; email: string | null; email_reminders: boolean; locale: string; agency_id: string }[]>`
    SELECT u.id::text AS user_id, u.full_name, u.email, u.email_reminders, u.locale, g.agency_id::text AS agency_id
    FROM role_grant g JOIN app_user u ON u.id = g.user_id AND u.deactivated_at IS NULL
    WHERE g.role = 'AGENCY_MANAGER' AND g.agency_id IS NOT NULL`
  const byAgency = new Map<string, Manager[]>()
  for (const r of rows) {
    const list = byAgency.get(r.agency_id) ?? []
    list.push({ userId: r.user_id, fullName: r.full_name, email: r.email, emailReminders: r.email_reminders, locale: r.locale, agencyId: r.agency_id })
    byAgency.set(r.agency_id, list)
  }
  return byAgency
}

/** The grace period of an agency: its own, else the nearest agency above with one, else the default. */
export function graceOf(tree: Map<string, AgencyNode>, agencyId: string): number {
  for (let node = tree.get(agencyId); node; node = node.parentId ? tree.get(node.parentId) : undefined) {
    if (node.graceDays !== null) return node.graceDays
  }
  return DEFAULT_GRACE_DAYS
}

/** The nearest agency at or above `agencyId` (strictly above with `above`) that has managers. */
function managedAgency(tree: Map<string, AgencyNode>, byAgency: Map<string, Manager[]>, agencyId: string, above = false): string | null {
  let node = tree.get(agencyId)
  if (above) node = node?.parentId ? tree.get(node.parentId) : undefined
  for (; node; node = node.parentId ? tree.get(node.parentId) : undefined) {
    if (byAgency.has(node.id)) return node.id
  }
  return null
}

export interface DueReminders {
  personal: PersonalReminder[]
  digests: ManagerDigest[]
}

/** Everything that is due at `now` (including what was sent before: the caller skips known keys). */
export async function dueReminders(db: Db, now: Date): Promise<DueReminders> {
  const day = vietnamDay(now)
  const personal: PersonalReminder[] = []
  const [assignments, certificates, tree, byAgency] = [
    await openAssignments(db, now),
    await expiringCertificates(db, now),
    await agencyTree(db),
    await managers(db),
  ]
  const digestEntries = new Map<string, { recipient: Recipient; entries: DigestEntry[] }>()
  const addToDigest = (manager: Manager, entry: DigestEntry) => {
    const digest = digestEntries.get(manager.userId) ?? { recipient: manager, entries: [] }
    // A manager of two levels sees each person once, at the nearer level.
    if (!digest.entries.some((e) => e.staffName === entry.staffName && e.course === entry.course && e.agencyName === entry.agencyName)) digest.entries.push(entry)
    digestEntries.set(manager.userId, digest)
  }

  for (const row of assignments) {
    const daysLeft = daysUntil(row.due_at, now)
    const rule = assignmentStage(daysLeft)
    const date = vietnamDay(row.due_at)
    if (rule && row.user_id) {
      personal.push({
        key: `${rule}:${row.user_id}:${row.course_id}:${date}`,
        rule,
        recipient: { userId: row.user_id, fullName: row.user_name ?? row.staff_name, email: row.email, emailReminders: row.email_reminders ?? true, locale: row.locale ?? 'vi' },
        params: { course: row.title, date, days: Math.max(0, daysLeft) },
        link: `/courses/${row.slug}`,
      })
    }
    if (daysLeft >= 0) continue
    const level = escalationLevel(-daysLeft, graceOf(tree, row.agency_id))
    if (level === 0) continue
    const entry = { staffName: row.staff_name, agencyName: row.agency_name, course: row.title, date, daysOverdue: -daysLeft }
    const own = managedAgency(tree, byAgency, row.agency_id)
    if (own && !tree.get(own)?.digestsPaused) for (const m of byAgency.get(own) ?? []) addToDigest(m, { ...entry, level: 1 })
    if (level === 2 && own) {
      const up = managedAgency(tree, byAgency, own, true)
      if (up && !tree.get(up)?.digestsPaused) for (const m of byAgency.get(up) ?? []) addToDigest(m, { ...entry, level: 2 })
    }
  }

  for (const row of certificates) {
    const daysLeft = daysUntil(row.expires_at, now)
    const rule = expiryStage(daysLeft)
    if (!rule) continue
    const date = vietnamDay(row.expires_at)
    personal.push({
      key: `${rule}:${row.user_id}:${row.id}`,
      rule,
      recipient: { userId: row.user_id, fullName: row.user_name, email: row.email, emailReminders: row.email_reminders, locale: row.locale },
      params: { course: row.course_title, date, days: Math.max(0, daysLeft), number: row.number },
      link: `/courses/${row.slug}`,
    })
  }

  // Periodic reports: the managers of the agency itself (the level above sees who is missing on
  // its overview): due within 7 days, missing after the due date, and each returned version.
  for (const row of await pendingPeriodReports(db, now)) {
    const daysLeft = daysUntil(row.due_at, now)
    const date = vietnamDay(row.due_at)
    const params = { agency: row.agency_name, kind: row.kind, year: row.year, number: row.number, date, days: Math.max(0, daysLeft) }
    const link = `/reports/periods/${row.period_id}/${row.agency_id}`
    const rules: { rule: Rule; key: string }[] = []
    if (row.status === 'RETURNED') rules.push({ rule: 'report.returned', key: `${row.report_id}:v${row.version}` })
    const stage = reportStage(daysLeft)
    if (stage) rules.push({ rule: stage, key: `${row.report_id}:${date}` })
    for (const manager of byAgency.get(row.agency_id) ?? []) {
      for (const { rule, key } of rules) personal.push({ key: `${rule}:${manager.userId}:${key}`, rule, recipient: manager, params, link })
    }
  }

  const digests = [...digestEntries.values()].map(({ recipient, entries }) => ({
    key: `digest:${recipient.userId}:${day}`,
    recipient,
    day,
    entries: entries.sort((a, b) => a.level - b.level || b.daysOverdue - a.daysOverdue || a.staffName.localeCompare(b.staffName, 'vi')),
  }))
  return { personal, digests }
}
