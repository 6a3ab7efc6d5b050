// Outgoing mail, only when SMTP_URL is set. Nothing in the product depends on mail working:
// a reset link is always shown to the manager who made it as well.
import nodemailer from 'nodemailer'

export interface Mail {
  to: string
  subject: string
  text: string
}

export function mailConfigured(env: { SMTP_URL?: string }): boolean {
  return Boolean(env.SMTP_URL)
}

/** Sends one mail; returns the mail server's answer (e.g. "250 OK: queued as …"). */
export async function sendMail(env: { SMTP_URL?: string; SMTP_FROM: string }, mail: Mail): Promise<string> {
  if (!env.SMTP_URL) throw new Error('SMTP_URL is not set')
  const url = new URL(env.SMTP_URL)
  const secure = url.protocol === 'smtps:'
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A test or internal relay on this machine may speak plain SMTP: ?tls=off allows it.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  })
  try {
    const info = await transport.sendMail({ from: env.SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text })
    return String(info.response ?? '')
  } finally {
    transport.close()
  }
}
