// "The database is not there right now" (PostgreSQL restarting, the network to it down) is not a
// bug of the page: it is answered 503 with a plain Vietnamese page, logged in one line, and the
// next request after the database is back works again (the pool reconnects by itself).

/** Error codes of node-postgres / Node's net layer and of PostgreSQL that mean "not reachable now". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up / shutting down)
  '57P01',
  '57P02',
  '57P03',
  // connection_exception class
  '08000',
  '08001',
  '08003',
  '08006',
  // Prisma: can't reach the server, timed out, connection closed
  'P1001',
  'P1002',
  'P1017',
])

/** Kinds of @prisma/adapter-pg's DriverAdapterError that mean the same. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout'])

const UNREACHABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Can't reach database server/i, /Client has encountered a connection error/i]

interface ErrorLike {
  code?: unknown
  message?: unknown
  cause?: unknown
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } }
}

/** Whether an error (or any error in its cause chain) says the database cannot be reached now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as ErrorLike
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true
    const adapter = e.meta?.driverAdapterError?.cause
    if (adapter) {
      if (typeof adapter.kind === 'string' && UNREACHABLE_KINDS.has(adapter.kind)) return true
      const code = adapter.originalCode ?? adapter.code
      if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true
    }
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.some((re) => re.test(e.message as string))) return true
    current = e.cause
  }
  return false
}

/** A short reason for the log line: the code when there is one. */
export function unavailableReason(error: unknown): string {
  const e = error as ErrorLike
  const adapter = e?.meta?.driverAdapterError?.cause
  const code = (typeof adapter?.kind === 'string' && adapter.kind) || (typeof e?.code === 'string' && e.code) || ''
  const message = typeof e?.message === 'string' ? e.message.split('\n').filter(Boolean).pop() ?? '' : ''
  return [code, message.slice(0, 160)].filter(Boolean).join(': ')
}

/** The whole page sent instead of the route's, with status 503 (no styles: the CSP allows none inline). */
export const DATABASE_UNAVAILABLE_PAGE = `<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tạm thời gián đoạn — Bản Số</title></head>
<body>
<main id="main">
<h1>Bản Số đang tạm thời gián đoạn</h1>
<p>Máy chủ cơ sở dữ liệu chưa trả lời. Dữ liệu của bạn không bị mất: những gì bạn chưa gửi xong sẽ không được ghi nửa chừng.</p>
<p>Vui lòng thử lại sau ít giây. <a href="">Tải lại trang</a></p>
<p lang="en">Bản Số is briefly unavailable (the database is not answering). Please try again in a few seconds.</p>
</main>
</body>
</html>
`
