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

/** `rejectRecipient`: addresses the server refuses (550), as a real server refuses an unknown mailbox. */
export async function startSmtpServer({ rejectRecipient }: { rejectRecipient?: (address: string) => boolean } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejectRecipient?.(address.address)) return callback(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 }))
      callback()
    },
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

function qpBytes(text: string, underscoreIsSpace: boolean): Buffer {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else if (ch === '_' && underscoreIsSpace) bytes.push(0x20)
    else bytes.push(...Buffer.from(ch, 'utf8'))
  }
  return Buffer.from(bytes)
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_w, enc: string, text: string) =>
      (enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : qpBytes(text, true)).toString('utf8'),
    )
}

export interface DecodedMail {
  to: string[]
  subject: string
  text: string
}

/** A received mail's subject and text, decoded (encoded words, quoted-printable or base64), NFC. */
export function decodeMail(mail: ReceivedMail): DecodedMail {
  const split = mail.body.search(/\r?\n\r?\n/)
  const head = mail.body.slice(0, split).replace(/\r?\n[ \t]+/g, ' ')
  const body = mail.body.slice(split).replace(/^\r?\n\r?\n/, '')
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qpBytes(body.replace(/=\r?\n/g, ''), false).toString('utf8')
        : body
  return { to: mail.to, subject: decodeWords(header('Subject')).normalize('NFC'), text: text.replace(/\r\n/g, '\n').normalize('NFC') }
}
