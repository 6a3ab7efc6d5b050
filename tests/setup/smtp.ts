// A real SMTP server (the npm smtp-server package) on 127.0.0.1 for tests that check the mail the
// app sends: every message received is kept with its envelope recipients and raw body.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  to: string[]
  body: string
}

export interface TestSmtp {
  received: ReceivedMail[]
  /** An SMTP_URL for the app (plain, no TLS). */
  url: string
  close(): Promise<void>
}

export async function startSmtpServer(): Promise<TestSmtp> {
  const received: ReceivedMail[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let body = ''
      stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  let closed = false
  return {
    received,
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?tls=off`,
    close: () =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closed = true
            smtp.close(() => resolve())
          }),
  }
}
