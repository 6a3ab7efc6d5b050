// The general rate limit (docs/decisions/015-rate-limit-and-form-results.md): every POST is
// counted per IP and, when it carries a session, per account, in fixed windows stored in
// PostgreSQL — so every process on the database shares the counts, and a restart forgets nothing.
// One statement per request: an upsert of all its counters, returning their new values.
//
// Budgets (env, see README): any POST; sign-ups (a new account and an Argon2 hash each: /signup,
// /join); uploads (any multipart body, up to 8 MB each). Over budget: 429, a Vietnamese page and
// Retry-After; nothing reaches Remix, so nothing is written. If the counters cannot be read (the
// database is down), the request goes on: the page then says what is wrong, not "too many".
import type { NextFunction, Request, Response } from 'express'
import type { PrismaClient } from '@prisma/client'
import { SESSION_COOKIE } from '~/modules/auth/session.server'
import { plainQuery, prisma as appPrisma } from '~/utils/db.server'
import type { Env } from '~/utils/env.server'

export interface Budget {
  /** Part of the counter's key, so each budget counts on its own. */
  name: string
  per: 'ip' | 'account'
  limit: number
  windowSeconds: number
}

export type RateLimitEnv = Pick<Env, 'RATE_LIMIT_POSTS_PER_MINUTE_IP' | 'RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT' | 'RATE_LIMIT_SIGNUPS_PER_HOUR_IP' | 'RATE_LIMIT_UPLOADS_PER_HOUR'>

/** Addresses whose POST creates an account (and hashes a password or PIN). */
const SIGN_UP_PATHS = new Set(['/signup', '/join'])

/** The budgets a POST to this address, with this body type, is counted against. */
export function budgetsFor(env: RateLimitEnv, path: string, contentType: string): Budget[] {
  const budgets: Budget[] = [
    { name: 'post', per: 'ip', limit: env.RATE_LIMIT_POSTS_PER_MINUTE_IP, windowSeconds: 60 },
    { name: 'post', per: 'account', limit: env.RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT, windowSeconds: 60 },
  ]
  if (SIGN_UP_PATHS.has(path)) budgets.push({ name: 'signup', per: 'ip', limit: env.RATE_LIMIT_SIGNUPS_PER_HOUR_IP, windowSeconds: 3600 })
  if (contentType.startsWith('multipart/form-data')) {
    budgets.push({ name: 'upload', per: 'ip', limit: env.RATE_LIMIT_UPLOADS_PER_HOUR, windowSeconds: 3600 })
    budgets.push({ name: 'upload', per: 'account', limit: env.RATE_LIMIT_UPLOADS_PER_HOUR, windowSeconds: 3600 })
  }
  return budgets
}

export interface Verdict {
  allowed: boolean
  /** Seconds until the fullest exceeded window ends (when not allowed). */
  retryAfterSeconds: number
}

/**
 * hit's statement, sent through node-postgres as a prepared statement (plainQuery): Prisma's own
 * work per query was most of the limiter's cost on every POST (docs/decisions/029, amendment).
 */
const HIT_SQL = `
    WITH account AS (SELECT user_id::text AS id FROM session WHERE id = $1::text AND $2::boolean),
    wanted AS (
      SELECT b.per, b.prefix, b.seconds,
        to_timestamp(floor(extract(epoch FROM clock_timestamp()) / b.seconds) * b.seconds) AS window_start
      FROM unnest($3::text[], $4::text[], $5::int[]) AS b(per, prefix, seconds)
    )
    INSERT INTO rate_limit_counter AS c (key, window_start, hits)
    SELECT CASE WHEN w.per = 'ip' THEN w.prefix ELSE w.prefix || a.id END, w.window_start, 1
    FROM wanted w LEFT JOIN account a ON true
    WHERE w.per = 'ip' OR a.id IS NOT NULL
    ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
    RETURNING c.key, c.hits, c.window_start`

/**
 * Counts one request against its budgets and says whether it is within all of them. The account
 * is the one of the session id in the cookie (looked up in the same statement; none: IP only).
 */
export async function hit(db: PrismaClient, { ip, sessionId, budgets }: { ip: string; sessionId: string | null; budgets: Budget[] }): Promise<Verdict> {
  const prefixes = budgets.map((b) => (b.per === 'ip' ? `${b.name}:ip:${ip}` : `${b.name}:user:`))
  const rows = await plainQuery<{ key: string; hits: number; window_start: Date }>(
    db,
    { text: HIT_SQL, values: [sessionId ?? '', sessionId !== null, budgets.map((b) => b.per), prefixes, budgets.map((b) => b.windowSeconds)] },
    { prepare: true },
  )
  let retryAfterMs = 0
  for (const row of rows) {
    const budget = budgets.find((b, j) => (b.per === 'ip' ? row.key === prefixes[j] : row.key.startsWith(prefixes[j]!)))
    if (!budget || row.hits <= budget.limit) continue
    const end = row.window_start.getTime() + budget.windowSeconds * 1000
    retryAfterMs = Math.max(retryAfterMs, end - Date.now())
  }
  return { allowed: retryAfterMs === 0, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }
}

/** Old windows: nobody is counted against them any more. */
export async function pruneCounters(db: PrismaClient): Promise<number> {
  return db.$executeRaw`DELETE FROM rate_limit_counter WHERE window_start < now() - interval '1 day'`
}

/** The session id from the cookie ("<id>.<secret>"), without checking the secret: it only names whose budget to count. */
function sessionIdOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=')
    const name = eq > 0 ? part.slice(0, eq).trim() : ''
    if (name === SESSION_COOKIE || name === `__Host-${SESSION_COOKIE}`) {
      const id = part.slice(eq + 1).trim().split('.')[0] ?? ''
      return id.length > 0 && id.length <= 64 ? id : null
    }
  }
  return null
}

const PAGE = (seconds: number) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Quá nhiều yêu cầu — Bản Số</title></head>
<body><main>
<p>Lỗi 429</p>
<h1>Bạn đã gửi quá nhiều yêu cầu</h1>
<p>Để bảo vệ hệ thống, mỗi máy và mỗi tài khoản chỉ được gửi một số lượng biểu mẫu nhất định trong một khoảng thời gian. Không có gì được ghi lại từ yêu cầu vừa rồi. Vui lòng thử lại sau khoảng ${Math.ceil(seconds / 60)} phút.</p>
<p lang="en">Too many requests. Nothing was saved. Please try again in about ${Math.ceil(seconds / 60)} minute(s).</p>
<p><a href="/">Về trang chủ</a></p>
</main></body></html>`

const PRUNE_EVERY_MS = 10 * 60_000

export function rateLimit({ env, db = appPrisma }: { env: RateLimitEnv; db?: () => PrismaClient }) {
  let lastPrune = 0
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next()
    let verdict: Verdict
    try {
      const client = db()
      verdict = await hit(client, {
        ip: req.ip ?? 'unknown',
        sessionId: sessionIdOf(req.get('cookie')),
        budgets: budgetsFor(env, req.path, (req.get('content-type') ?? '').toLowerCase()),
      })
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now()
        pruneCounters(client).catch((error: unknown) => console.warn('[rate-limit] không dọn được bộ đếm cũ:', error instanceof Error ? error.message.split('\n')[0] : String(error)))
      }
    } catch (error) {
      // Fail open: a database that is down or not open yet answers 503 elsewhere; not an error here.
      console.warn(`[rate-limit] không đọc được bộ đếm, cho qua: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
      return next()
    }
    if (verdict.allowed) return next()
    res.set('Retry-After', String(verdict.retryAfterSeconds))
    res.set('Cache-Control', 'no-store')
    res.set('Connection', 'close') // the body (perhaps 8 MB) is not read
    res.status(429).type('text/html; charset=utf-8').send(PAGE(verdict.retryAfterSeconds))
  }
}
