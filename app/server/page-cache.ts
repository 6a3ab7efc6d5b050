// The anonymous page cache (docs/decisions/012-page-cache-and-sign-in-load.md): a lesson page is the
// same document for every anonymous visitor of one language until the content store is replaced,
// so it is rendered once, gzipped once, and then served from memory.
//
// What keeps it safe:
// - Only a page whose loader marks it (PAGE_CACHE_HEADER) is kept, only from a GET without a query
//   string, with status 200, no Set-Cookie, and a body that does not contain the request's CSP
//   nonce (a marked page ships no script; if one ever did, it would not be cached).
// - It is served only to a GET without a query string whose cookies are all harmless to the page
//   (the language, which is part of the key, and the trusted-device marker); any other cookie — a
//   session, valid or not — goes to Remix. So a signed-in person never gets an anonymous copy, and
//   an anonymous visitor never gets a signed-in page (signed-in pages are never marked).
// - The key is (path, locale, content version); a content reload changes the version and empties it.
// - Security headers are not stored: securityHeaders() has already set them for this response,
//   with this response's own nonce, exactly as for an uncached page.
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { NextFunction, Request, Response } from 'express'
import { DEVICE_COOKIE } from '~/modules/auth/throttle.server'
import { contentVersion } from '~/modules/content/version.server'
import { WRITE_STAMP_COOKIE } from '~/modules/personal/cache.server'
import { LOCALE_COOKIE, localeFromCookieHeader } from '~/utils/i18n'
import { PAGE_CACHE_ANONYMOUS, PAGE_CACHE_HEADER } from '~/utils/page-cache'

export interface CachedPage {
  status: number
  headers: [string, string | number | string[]][]
  html: Buffer
  gzip: Buffer
  etag: string
}

/** Cookies that do not change an anonymous page beyond its language (which is in the key). */
// The write stamp (personal-pages.ts) stays after a sign-out; it means nothing to an anonymous page.
const HARMLESS_COOKIES = new Set([LOCALE_COOKIE, DEVICE_COOKIE, `__Host-${DEVICE_COOKIE}`, WRITE_STAMP_COOKIE, `__Host-${WRITE_STAMP_COOKIE}`])
/** Headers the cache never stores: set per response by other middleware, or about the encoding. */
const NOT_STORED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'etag', 'set-cookie', PAGE_CACHE_HEADER.toLowerCase()])

function onlyHarmlessCookies(header: string | undefined): boolean {
  if (!header) return true
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    const name = (eq >= 0 ? part.slice(0, eq) : part).trim()
    if (name && !HARMLESS_COOKIES.has(name)) return false
  }
  return true
}

export interface PageCache {
  middleware: (req: Request, res: Response, next: NextFunction) => void
  size(): number
  clear(): void
}

export function createPageCache({ maxEntries = 500 }: { maxEntries?: number } = {}): PageCache {
  let version = contentVersion()
  const pages = new Map<string, CachedPage>()

  function keyFor(req: Request): string | null {
    if (req.method !== 'GET') return null
    const q = req.originalUrl.indexOf('?')
    if (q >= 0) return null
    if (!onlyHarmlessCookies(req.get('cookie'))) return null
    const current = contentVersion()
    if (current !== version) {
      pages.clear()
      version = current
    }
    return `${current}\n${localeFromCookieHeader(req.get('cookie') ?? null)}\n${req.path}`
  }

  function serve(req: Request, res: Response, page: CachedPage) {
    for (const [name, value] of page.headers) res.setHeader(name, value)
    res.setHeader('Vary', 'Accept-Encoding, Cookie')
    res.setHeader('ETag', page.etag)
    if (req.get('if-none-match') === page.etag) {
      res.status(304).end()
      return
    }
    res.status(page.status)
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      // compression() leaves a body alone that already has a Content-Encoding.
      res.setHeader('Content-Encoding', 'gzip')
      res.setHeader('Content-Length', page.gzip.length)
      res.end(page.gzip)
    } else {
      res.setHeader('Content-Length', page.html.length)
      res.end(page.html)
    }
  }

  function middleware(req: Request, res: Response, next: NextFunction) {
    const key = keyFor(req)
    if (key === null) {
      // Still never let the internal marker out.
      const writeHead = res.writeHead
      res.writeHead = function (this: Response, ...args: unknown[]) {
        res.removeHeader(PAGE_CACHE_HEADER)
        return (writeHead as (...a: unknown[]) => Response).apply(this, args)
      } as typeof res.writeHead
      return next()
    }
    const hit = pages.get(key)
    if (hit) return serve(req, res, hit)

    // A miss: let Remix render it, and keep a copy if the page asked to be kept.
    const before = new Set(res.getHeaderNames())
    const nonce = String(res.locals.cspNonce ?? '')
    let capture: { headers: CachedPage['headers']; chunks: Buffer[] } | null = null
    const writeHead = res.writeHead
    const write = res.write
    const end = res.end
    res.writeHead = function (this: Response, ...args: unknown[]) {
      const marked = res.getHeader(PAGE_CACHE_HEADER) === PAGE_CACHE_ANONYMOUS
      res.removeHeader(PAGE_CACHE_HEADER)
      const status = typeof args[0] === 'number' ? args[0] : res.statusCode
      if (marked && status === 200 && !res.hasHeader('set-cookie')) {
        const headers: CachedPage['headers'] = []
        for (const name of res.getHeaderNames()) {
          if (!before.has(name) && !NOT_STORED.has(name)) headers.push([name, res.getHeader(name)!])
        }
        capture = { headers, chunks: [] }
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args)
    } as typeof res.writeHead
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (!capture || chunk == null || typeof chunk === 'function') return
      capture.chunks.push(Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'))
    }
    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
      if (!res.headersSent) res.writeHead(res.statusCode)
      keep(chunk, rest[0])
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof res.write
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      if (!res.headersSent) res.writeHead(res.statusCode)
      keep(chunk, rest[0])
      const done = capture
      capture = null
      if (done && res.statusCode === 200) {
        const html = Buffer.concat(done.chunks)
        // A page that carries this response's nonce has a script the next CSP would refuse.
        if (!(nonce && html.includes(nonce)) && pages.size < maxEntries) {
          pages.set(key, {
            status: 200,
            headers: done.headers,
            html,
            gzip: gzipSync(html, { level: 9 }),
            etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`,
          })
        }
      }
      return (end as (...a: unknown[]) => Response).call(this, chunk, ...rest)
    } as typeof res.end
    next()
  }

  return { middleware, size: () => pages.size, clear: () => pages.clear() }
}
