// Server rendering with the CSP nonce on every script Remix writes. Bots and plain HTTP clients get
// the whole document at once (onAllReady); browsers get it streamed (onShellReady).
import { Transform } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { DATABASE_UNAVAILABLE_PAGE, isDatabaseUnavailable, unavailableReason } from './utils/db-unavailable.server'
import { NonceProvider } from './utils/nonce'

const ABORT_DELAY = 5_000

/**
 * React 18's streaming renderer sends its whole 2 KB buffer when the next multi-byte character does
 * not fit, unwritten zero bytes included (facebook/react#24985; fixed only in React 19). Vietnamese
 * text then reads "chữ s\0ố". Every chunk React writes is trimmed of those trailing zero bytes (HTML
 * never holds a NUL of its own).
 */
function withoutTrailingNulls() {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let end = chunk.length
      while (end > 0 && chunk[end - 1] === 0) end--
      callback(null, end === chunk.length ? chunk : chunk.subarray(0, end))
    },
  })
}

export const streamTimeout = ABORT_DELAY

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A loader or action failed because the database is not reachable (handleError, below, saw it
  // first): a 503 with a plain page, not the generic 500 — the app itself is fine and recovers.
  if (databaseDown.has(request)) {
    return new Response(DATABASE_UNAVAILABLE_PAGE, {
      status: 503,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '5', 'Cache-Control': 'no-store' },
    })
  }
  if (unreadableForm.has(request)) {
    return new Response(UNREADABLE_FORM_PAGE, { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } })
  }
  const nonce = loadContext.cspNonce
  const waitForAll = isbot(request.headers.get('user-agent') ?? '')
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = withoutTrailingNulls()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors after the shell are logged here; before it, Remix's handleError logs them.
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY + 1000)
  })
}

/** Requests whose loader or action failed for want of the database (Remix calls handleError first). */
const databaseDown = new WeakSet<Request>()
/** Requests whose form body could not be parsed (a broken multipart body): bad input, a 400. */
const unreadableForm = new WeakSet<Request>()

function isUnreadableForm(error: unknown): boolean {
  return error instanceof TypeError && /Failed to parse body as FormData|Content-Type was not one of|boundary/i.test(error.message)
}

const UNREADABLE_FORM_PAGE = `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Biểu mẫu không đọc được — Bản Số</title></head>
<body><main id="main"><h1>Biểu mẫu gửi lên không đọc được</h1><p>Dữ liệu gửi lên bị hỏng hoặc không đúng dạng biểu mẫu, nên không có gì được ghi. Hãy quay lại trang trước và gửi lại.</p>
<p lang="en">The form could not be read; nothing was saved. Go back and send it again.</p></main></body></html>
`

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return
  if (isUnreadableForm(error)) {
    unreadableForm.add(request)
    return
  }
  if (isDatabaseUnavailable(error)) {
    databaseDown.add(request)
    // One line, not a stack per request: an outage would otherwise flood the log.
    console.error(`[db] cơ sở dữ liệu không trả lời: ${request.method} ${new URL(request.url).pathname} → 503 (${unavailableReason(error)})`)
    return
  }
  console.error(`[remix] ${request.method} ${new URL(request.url).pathname}:`, error)
}
