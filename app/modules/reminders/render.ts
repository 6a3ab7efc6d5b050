// The words of a notification or a reminder email, in the reader's language (pure).
import type { Messages } from '~/locales/types'
import { periodLabel } from '~/modules/periods/labels'
import { format, isLocale, messagesFor, type Locale } from '~/utils/i18n'
import type { Rule } from './stages'

export type NotificationParams = Record<string, string | number>

export function localeOf(value: string | null | undefined): Locale {
  return isLocale(value) ? value : 'vi'
}

/** A YYYY-MM-DD day as the locale writes it. */
export function formatDay(day: string, locale: Locale): string {
  const at = new Date(`${day}T12:00:00Z`)
  if (Number.isNaN(at.getTime())) return day
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Ho_Chi_Minh' }).format(at)
}

function ruleText(m: Messages, rule: string): { title: string; body: string } {
  return (m.reminders.rules as Record<string, { title: string; body: string }>)[rule] ?? { title: rule, body: '' }
}

/** Title and body of a notification of `rule`. */
export function renderNotification(rule: Rule | string, params: NotificationParams, locale: Locale): { title: string; body: string } {
  const m = messagesFor(locale)
  const text = ruleText(m, rule)
  const filled: NotificationParams = { ...params }
  if (typeof params.date === 'string') filled.date = formatDay(params.date, locale)
  if (typeof params.kind === 'string') filled.period = periodLabel(m, { kind: params.kind, year: Number(params.year), number: Number(params.number) })
  return { title: format(text.title, filled, locale), body: format(text.body, filled, locale) }
}

export interface MailText {
  subject: string
  text: string
}

function link(origin: string, path: string, m: Messages): string {
  return origin ? format(m.reminders.mail.open, { url: `${origin}${path}` }) : m.reminders.mail.openNoLink
}

/** The email of a personal reminder. `origin` is APP_ORIGIN ('' when not set: no link is written). */
export function personalMail(rule: Rule, params: NotificationParams, name: string, path: string, origin: string, locale: Locale): MailText {
  const m = messagesFor(locale)
  const { title, body } = renderNotification(rule, params, locale)
  return {
    subject: `Bản Số: ${title}`,
    text: `${format(m.reminders.mail.greeting, { name })}\n\n${title}\n\n${body}\n\n${link(origin, path, m)}\n\n-- \n${m.reminders.mail.footer}\n`,
  }
}

export interface DigestLine {
  staffName: string
  agencyName: string
  course: string
  date: string
  daysOverdue: number
  level: 1 | 2
}

/** Lines listed in one digest email at most (the rest is counted; the page lists everyone). */
export const DIGEST_MAX_LINES = 200

/** The daily digest email of a manager: one message listing people. */
export function digestMail(lines: DigestLine[], day: string, name: string, origin: string, locale: Locale): MailText {
  const m = messagesFor(locale)
  const { title, body } = renderNotification('digest', { date: day, count: lines.length }, locale)
  const listed = lines.slice(0, DIGEST_MAX_LINES).map((l) => {
    const line = format(m.reminders.digestLine, { name: l.staffName, agency: l.agencyName, course: l.course, date: formatDay(l.date, locale), days: l.daysOverdue }, locale)
    return `- ${line}${l.level === 2 ? ` (${m.reminders.digestLevelUp})` : ''}`
  })
  if (lines.length > DIGEST_MAX_LINES) listed.push(format(m.reminders.digestMore, { count: lines.length - DIGEST_MAX_LINES }, locale))
  return {
    subject: `Bản Số: ${title}`,
    text: `${format(m.reminders.mail.greeting, { name })}\n\n${body}\n\n${listed.join('\n')}\n\n${link(origin, '/reports', m)}\n\n-- \n${m.reminders.mail.digestFooter}\n`,
  }
}
