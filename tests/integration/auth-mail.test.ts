// With SMTP_URL set, a reset link is also mailed to the person; a mail server that is down costs
// nothing but a note (the link is still shown to the manager).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSmtpServer, type TestSmtp } from '../setup/smtp'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let smtp: TestSmtp
let server: TestServer
let learnerId: string

beforeAll(async () => {
  smtp = await startSmtpServer()
  process.env.SMTP_URL = smtp.url
  process.env.SMTP_FROM = 'Bản Số <no-reply@banso.example>'
  server = await startTestServer()
  learnerId = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
})

afterAll(async () => {
  await server.close()
  await smtp.close()
})

describe('reset links by mail', () => {
  it('mails the link to the person when SMTP is configured', async () => {
    const admin = new Browser(server.base)
    await admin.signIn('quantri@banso.example', 'QuanTri@2026')
    const page = await (await admin.post(`/admin/users/${learnerId}`, { intent: 'reset' })).text()
    expect(textOf(page)).toContain('Đã gửi liên kết tới hocvien@banso.example.')
    const link = /data-testid="reset-link">([^<]+)</.exec(page)![1]!
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]!.to).toEqual(['hocvien@banso.example'])
    // The body is quoted-printable or base64: compare on the token, which is plain ASCII.
    const token = link.split('/').pop()!
    expect(smtp.received[0]!.body.replace(/=\r?\n/g, '')).toContain(token)
  })

  it('a mail server that is down: the link is shown with a note, never an error page', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await smtp.close()
    const admin = new Browser(server.base)
    await admin.signIn('quantri@banso.example', 'QuanTri@2026')
    const response = await admin.post(`/admin/users/${learnerId}`, { intent: 'reset' })
    expect(response.status).toBe(200)
    const text = textOf(await response.text())
    expect(text).toContain('Không gửi được thư')
    expect(text).toMatch(/\/reset-password\/[a-z2-7]{32}/)
    expect(logged).toHaveBeenCalled()
  })
})
