// Which reminder is due, from dates alone (pure, so it is tested without a database). Days are
// counted in Vietnam time (UTC+7, no daylight saving): "due in 3 days" means three calendar days
// as people in Lào Cai count them, whatever the server's time zone.

export const RULES = [
  'assignment.due14',
  'assignment.due3',
  'assignment.overdue',
  'certificate.exp60',
  'certificate.exp30',
  'certificate.exp7',
  'certificate.expired',
  'report.due7',
  'report.overdue',
  'report.returned',
  'digest',
] as const
export type Rule = (typeof RULES)[number]

const VIETNAM_OFFSET_MS = 7 * 3_600_000
const DAY_MS = 86_400_000

/** The calendar day in Vietnam, as YYYY-MM-DD. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)
}

/** The hour (0–23) in Vietnam. */
export function vietnamHour(at: Date): number {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).getUTCHours()
}

/** Calendar days from `now` to `date` in Vietnam (0 = the same day, negative = past). */
export function daysUntil(date: Date, now: Date): number {
  return Math.round((Date.parse(vietnamDay(date)) - Date.parse(vietnamDay(now))) / DAY_MS)
}

/**
 * The reminder stage of an assignment not yet completed: 14 days before its due date (until 4
 * days before), 3 days before (until the due day), overdue from the next day. A stage is sent
 * once; a stage skipped (the daily run did not run on its first day) is simply not sent, the
 * current one is.
 */
export function assignmentStage(daysLeft: number): Rule | null {
  if (daysLeft > 14) return null
  if (daysLeft > 3) return 'assignment.due14'
  if (daysLeft >= 0) return 'assignment.due3'
  return 'assignment.overdue'
}

/** Certificates expired longer ago than this get no "expired" reminder (a first run would flood). */
export const EXPIRED_LOOKBACK_DAYS = 90

/** The reminder stage of a current certificate: 60, 30 and 7 days before its expiry, then expired. */
export function expiryStage(daysLeft: number): Rule | null {
  if (daysLeft > 60) return null
  if (daysLeft > 30) return 'certificate.exp60'
  if (daysLeft > 7) return 'certificate.exp30'
  if (daysLeft >= 0) return 'certificate.exp7'
  if (daysLeft >= -EXPIRED_LOOKBACK_DAYS) return 'certificate.expired'
  return null
}

export const DEFAULT_GRACE_DAYS = 7

/**
 * Escalation of an overdue assignment: 0 = the person only; 1 = beyond the grace period, the
 * managers of the person's agency; 2 = beyond twice the grace period, also the managers one level up.
 */
export function escalationLevel(daysOverdue: number, graceDays: number): 0 | 1 | 2 {
  if (daysOverdue <= graceDays) return 0
  if (daysOverdue <= 2 * graceDays) return 1
  return 2
}

/**
 * The reminder stage of a periodic report not yet submitted (or returned): 7 days before its due
 * date until the due day, then missing from the next day.
 */
export function reportStage(daysLeft: number): Rule | null {
  if (daysLeft > 7) return null
  if (daysLeft >= 0) return 'report.due7'
  return 'report.overdue'
}
