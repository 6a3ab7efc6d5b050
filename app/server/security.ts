// Headers every response carries, and the Origin check every state-changing request passes.
import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'

export function contentSecurityPolicy({ nonce, dev, https, formTargets = [] }: { nonce: string; dev: boolean; https: boolean; formTargets?: string[] }): string {
  const directives = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}'`,
    // Vite injects <style> tags while developing; the production build only links CSS files.
    dev ? `style-src 'self' 'unsafe-inline'` : `style-src 'self'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    dev ? `connect-src 'self' ws: wss:` : `connect-src 'self'`,
    // A form's redirect counts too: the sign-in button posts here and is sent on to the provider.
    ['form-action', "'self'", ...formTargets].join(' '),
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `object-src 'none'`,
  ]
  if (https) directives.push('upgrade-insecure-requests')
  return directives.join('; ')
}

/** Documents any verifier may fetch from another origin: the issuer's public keys and profile. */
const SHARED_RESOURCES = new Set(['/.well-known/jwks.json', '/issuer'])

/**
 * `formTargets`: other origins a form of this site may end up at: the OpenID Connect provider,
 * where the "Đăng nhập bằng …" button's POST is redirected (docs/decisions/028).
 */
export function securityHeaders({ dev, formTargets = [] }: { dev: boolean; formTargets?: string[] }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ nonce, dev, https: req.secure, formTargets }))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', SHARED_RESOURCES.has(req.path) ? 'cross-origin' : 'same-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    res.removeHeader('X-Powered-By')
    next()
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function originOf(value: string | undefined): string | null {
  if (!value) return null
  try {
    return new URL(value).origin
  } catch {
    return null
  }
}

/**
 * CSRF defence without tokens: a state-changing request must come from a page of this site, as
 * its Origin header (or, lacking one, its Referer) says. Plain HTML forms send it, so forms keep
 * working without JavaScript.
 */
export function checkOrigin({ appOrigin }: { appOrigin?: string }) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const expected = appOrigin ?? `${req.protocol}://${req.get('host')}`
    const actual = originOf(req.get('origin')) ?? originOf(req.get('referer'))
    if (actual !== null && actual === expected) return next()
    res
      .status(403)
      .type('text/plain; charset=utf-8')
      .send('403 — Yêu cầu bị từ chối: biểu mẫu không được gửi từ trang của Bản Số. (Forbidden: cross-site request.)')
  }
}

/** One line per request: method, path (never the query string: it may hold a token), status, ms. */
export function requestLog(write: (line: string) => void = (line) => console.log(line)) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      write(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`)
    })
    next()
  }
}

/** The largest form body accepted (a form of this app is a few KB; file uploads stay well under). */
export const MAX_FORM_BYTES = 8 * 1024 * 1024
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

/**
 * The JSON endpoints (a fetch from our own scripts, not a form): the offline-progress sync of the
 * service worker. A mark is under 1 KB, so their bodies are capped far lower than forms.
 */
export const JSON_ENDPOINTS = new Set(['/api/offline-progress', '/api/training-attendance'])
export const MAX_JSON_BYTES = 64 * 1024

/**
 * Every state-changing request carries an HTML form, or nothing — or JSON to one of the
 * JSON_ENDPOINTS: any other body (JSON elsewhere, XML…) gets a plain 415, and a body larger than
 * MAX_FORM_BYTES (MAX_JSON_BYTES for JSON) a 413, before any route reads it.
 */
export function checkFormBody({ maxBytes = MAX_FORM_BYTES, jsonEndpoints = JSON_ENDPOINTS, maxJsonBytes = MAX_JSON_BYTES }: { maxBytes?: number; jsonEndpoints?: Set<string>; maxJsonBytes?: number } = {}) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const json = type === 'application/json' && jsonEndpoints.has(req.path)
    const limit = json ? maxJsonBytes : maxBytes
    const length = Number(req.get('content-length') ?? 0)
    if (length > limit) {
      res.set('Connection', 'close')
      res
        .status(413)
        .type('text/plain; charset=utf-8')
        .send(`413 — Dữ liệu gửi lên quá lớn (tối đa ${limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`}). (Payload too large.)`)
      return
    }
    const hasBody = length > 0 || req.get('transfer-encoding') !== undefined
    // Our scripts send JSON with its length: a streamed JSON body could pass the cap unchecked.
    if (json && req.get('content-length') === undefined) {
      res.status(411).type('text/plain; charset=utf-8').send('411 — Dữ liệu JSON phải có độ dài (Content-Length). (Length required.)')
      return
    }
    if (hasBody && !json && !FORM_TYPES.includes(type)) {
      res
        .status(415)
        .type('text/plain; charset=utf-8')
        .send('415 — Dữ liệu gửi lên phải là một biểu mẫu (application/x-www-form-urlencoded hoặc multipart/form-data). (Unsupported media type.)')
      return
    }
    next()
  }
}
