// Telling a person that someone acted on their account (a role granted or revoked, a reset link
// made, the account deactivated or reactivated, a staff record linked by an admin). Sent only when
// the person has an email and SMTP_URL is set; a mail server that is down never fails the action:
// the action is committed already, and the failure is logged and reported to the page.
import { getEnv } from '~/utils/env.server'
import { mailConfigured, sendMail } from '~/utils/mail.server'

export type NoticeResult = { mailedTo: string | null; mailFailed: boolean }

export async function notifyPerson(person: { fullName: string; email: string | null }, { subject, body }: { subject: string; body: string }): Promise<NoticeResult> {
  const env = getEnv()
  if (!person.email || !mailConfigured(env)) return { mailedTo: null, mailFailed: false }
  try {
    await sendMail(env, {
      to: person.email,
      subject: `Bản Số: ${subject}`,
      text: `Chào ${person.fullName},\n\n${body}\n\nNếu bạn không biết vì sao có thay đổi này, hãy báo ngay cho người quản lý đơn vị hoặc quản trị viên.\n`,
    })
    return { mailedTo: person.email, mailFailed: false }
  } catch (error) {
    console.error('[mail] không gửi được thư báo:', (error as Error).message)
    return { mailedTo: null, mailFailed: true }
  }
}
