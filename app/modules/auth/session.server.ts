// Sessions as lucia-auth.com's guide builds them (docs/decisions/005): the cookie holds
// "<id>.<secret>", the database holds the id and the SHA-256 hash of the secret, compared in
// constant time. Idle timeout and absolute lifetime are enforced here, on the server.
import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import type { PrismaClient } from '@prisma/client'

export interface SessionPolicy {
  idleMs: number
  maxAgeMs: number
}

export function sessionPolicy(env: { SESSION_IDLE_MINUTES: number; SESSION_MAX_DAYS: number }): SessionPolicy {
  return { idleMs: env.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: env.SESSION_MAX_DAYS * 86_400_000 }
}

/** Writing last_active_at on every request would be a write per page view; once a minute is enough. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000

/** 160 random bits, base32: more than the 128 bits the guide asks for. */
export function randomToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret))
}

export interface NewSession {
  token: string
  id: string
  expiresAt: Date
}

/** A new session before it is stored: the cookie's token, and what the row holds (the secret's SHA-256, never the secret). */
export function newSession(policy: SessionPolicy, now = new Date()): NewSession & { secretHash: Uint8Array<ArrayBuffer> } {
  const id = randomToken()
  const secret = randomToken()
  return { token: `${id}.${secret}`, id, secretHash: new Uint8Array(hashSecret(secret)), expiresAt: new Date(now.getTime() + policy.maxAgeMs) }
}

/** What a session row keeps of the browser's user agent. */
export const userAgentOf = (userAgent: string | null | undefined) => userAgent?.slice(0, 300) ?? null

export async function createSession(
  prisma: PrismaClient,
  { userId, ip, userAgent }: { userId: string; ip?: string | null; userAgent?: string | null },
  policy: SessionPolicy,
  now = new Date(),
): Promise<NewSession> {
  const { token, id, secretHash, expiresAt } = newSession(policy, now)
  await prisma.session.create({
    data: { id, secretHash, userId, createdAt: now, lastActiveAt: now, expiresAt, ip: ip ?? null, userAgent: userAgentOf(userAgent) },
  })
  return { token, id, expiresAt }
}

export function isSessionExpired(
  session: { expiresAt: Date; lastActiveAt: Date },
  policy: SessionPolicy,
  now = new Date(),
): boolean {
  return now >= session.expiresAt || now.getTime() - session.lastActiveAt.getTime() >= policy.idleMs
}

/** The id and secret of a cookie token, or null when it cannot be one of ours. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const [id, secret, ...rest] = token.split('.')
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null
  return { id, secret }
}

export interface StoredSession {
  id: string
  secretHash: Uint8Array
  userId: string
  createdAt: Date
  lastActiveAt: Date
  expiresAt: Date
}

/**
 * The checks a stored session passes before it counts, wherever the row was read from (alone, or
 * joined with its user in one query): the secret's hash compared in constant time, idle and absolute
 * expiry (an expired row is deleted), and the sliding activity time written at most once a minute.
 */
export async function acceptStoredSession(
  prisma: PrismaClient,
  session: StoredSession,
  secret: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<boolean> {
  const verdict = storedSessionStillGood(session, secret, policy, now)
  if (verdict !== 'recheck') return verdict === 'good'
  if (isSessionExpired(session, policy, now)) {
    await prisma.session.deleteMany({ where: { id: session.id } })
    return false
  }
  // Not expired, so the activity write is what is due.
  await prisma.session.updateMany({ where: { id: session.id }, data: { lastActiveAt: now } })
  return true
}

/**
 * Whether a session row read earlier (the personal facts cache, docs/decisions/030) may be taken
 * as it is: the secret matches, it has not expired and no activity write is due. Otherwise the
 * caller reads the row again and goes through acceptStoredSession, which deletes or writes.
 */
export function storedSessionStillGood(session: StoredSession, secret: string, policy: SessionPolicy, now = new Date()): 'good' | 'wrong-secret' | 'recheck' {
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(session.secretHash))) return 'wrong-secret'
  if (isSessionExpired(session, policy, now) || now.getTime() - session.lastActiveAt.getTime() >= ACTIVITY_WRITE_INTERVAL_MS) return 'recheck'
  return 'good'
}

/** The session a cookie token names, or null (unknown, wrong secret, expired: expired ones are deleted). */
export async function validateSessionToken(
  prisma: PrismaClient,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ id: string; userId: string; createdAt: Date; expiresAt: Date } | null> {
  const parsed = parseSessionToken(token)
  if (!parsed) return null
  const session = await prisma.session.findUnique({ where: { id: parsed.id } })
  if (!session) return null
  if (!(await acceptStoredSession(prisma, session, parsed.secret, policy, now))) return null
  return { id: session.id, userId: session.userId, createdAt: session.createdAt, expiresAt: session.expiresAt }
}

export async function invalidateSession(prisma: PrismaClient, sessionId: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: sessionId } })
}

/** Signs a person out everywhere (optionally keeping one session, e.g. the current one). */
export async function invalidateUserSessions(prisma: PrismaClient, userId: string, keepSessionId?: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  })
  return count
}

export async function pruneExpiredSessions(prisma: PrismaClient, policy: SessionPolicy, now = new Date()): Promise<number> {
  const { count } = await prisma.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { lastActiveAt: { lte: new Date(now.getTime() - policy.idleMs) } }] },
  })
  return count
}

// ─── Cookies ───

/** Over HTTPS the cookie gets `Secure` and the `__Host-` prefix (no Domain, Path=/, Secure). */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base
}

export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === 'https:'
}

export function serializeCookie(name: string, value: string, { maxAgeSeconds, secure }: { maxAgeSeconds: number; secure: boolean }) {
  return [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

export function readCookie(request: Request, name: string): string | null {
  return cookieFromHeader(request.headers.get('cookie'), name)
}

/** A cookie's value from a Cookie header (the first of that name), as readCookie reads it. */
export function cookieFromHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

export const SESSION_COOKIE = 'banso_session'

export function sessionCookie(request: Request, session: NewSession, now = new Date()): string {
  return sessionCookieFor(isSecureRequest(request), session, now)
}

/** The session cookie of a request served over HTTPS (`secure`) or not. */
export function sessionCookieFor(secure: boolean, session: NewSession, now = new Date()): string {
  return serializeCookie(cookieName(SESSION_COOKIE, secure), session.token, {
    maxAgeSeconds: (session.expiresAt.getTime() - now.getTime()) / 1000,
    secure,
  })
}

export function clearSessionCookie(request: Request): string {
  const secure = isSecureRequest(request)
  return serializeCookie(cookieName(SESSION_COOKIE, secure), '', { maxAgeSeconds: 0, secure })
}

export function readSessionToken(request: Request): string | null {
  return readCookie(request, cookieName(SESSION_COOKIE, isSecureRequest(request)))
}
