// The signed-in person of a request, and the guards routes use.
import type { Role } from '@prisma/client'
import { redirect, type AppLoadContext } from '@remix-run/node'
import { plainQuery, prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import type { Actor, RoleGrantView } from './permissions.server'
import type { ClientInfo } from './service.server'
import {
  cookieName,
  isSecureRequest,
  cookieFromHeader,
  readSessionToken,
  serializeCookie,
  sessionCookieFor,
  acceptStoredSession,
  parseSessionToken,
  sessionPolicy,
  type NewSession,
} from './session.server'
import { DEVICE_COOKIE } from './throttle.server'

export interface CurrentUser extends Actor {
  sessionId: string
  fullName: string
  email: string | null
  phone: string | null
  kind: string
  jobTitle: string | null
  agency: { id: string; name: string } | null
  roles: (RoleGrantView & { agencyName: string | null })[]
}

export function currentSessionPolicy() {
  return sessionPolicy(getEnv())
}

const resolved = new WeakMap<Request, Promise<CurrentUser | null>>()

/** The signed-in person, or null. Looked up once per request. */
export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let pending = resolved.get(request)
  if (!pending) {
    pending = loadCurrentUser(request)
    resolved.set(request, pending)
  }
  return pending
}

interface SessionUserRow {
  session_id: string
  secret_hash: Uint8Array
  created_at: Date
  last_active_at: Date
  expires_at: Date
  user_id: string
  full_name: string
  email: string | null
  phone: string | null
  kind: string
  job_title: string | null
  agency_id: string | null
  agency_name: string | null
  roles: { role: Role; agencyId: string | null; agencyName: string | null }[]
}

/** loadCurrentUser's statement (text fixed, so prepared once per connection). */
const SESSION_USER_SQL = `
    SELECT s.id AS session_id, s.secret_hash, s.created_at, s.last_active_at, s.expires_at,
           u.id AS user_id, u.full_name, u.email, u.phone, u.kind::text AS kind, u.job_title,
           a.id AS agency_id, a.name AS agency_name,
           COALESCE((
             SELECT json_agg(json_build_object('role', g.role, 'agencyId', g.agency_id, 'agencyName', ga.name) ORDER BY g.granted_at, g.id)
             FROM role_grant g LEFT JOIN agency ga ON ga.id = g.agency_id
             WHERE g.user_id = u.id
           ), '[]'::json) AS roles
    FROM session s
    JOIN app_user u ON u.id = s.user_id
    LEFT JOIN agency a ON a.id = u.agency_id
    WHERE s.id = $1::text AND u.deactivated_at IS NULL`

/**
 * The session row, its person, the person's agency and role grants: ONE statement, so a signed-in
 * page costs one round trip here (Prisma's nested select is a query per relation: five), sent as a
 * prepared statement through node-postgres (plainQuery: without Prisma's per-query work, docs/decisions/029).
 * The session is then accepted by the same checks as everywhere (session.server.ts: constant-time
 * hash comparison, idle and absolute expiry, sliding activity time).
 */
async function loadCurrentUser(request: Request): Promise<CurrentUser | null> {
  const token = readSessionToken(request)
  if (!token) return null
  const parsed = parseSessionToken(token)
  if (!parsed) return null
  const db = prisma()
  const rows = await plainQuery<SessionUserRow>(db, { text: SESSION_USER_SQL, values: [parsed.id] }, { prepare: true })
  const row = rows[0]
  if (!row) return null
  const stored = { id: row.session_id, secretHash: row.secret_hash, userId: row.user_id, createdAt: row.created_at, lastActiveAt: row.last_active_at, expiresAt: row.expires_at }
  if (!(await acceptStoredSession(db, stored, parsed.secret, currentSessionPolicy()))) return null
  return {
    id: row.user_id,
    fullName: row.full_name,
    email: row.email,
    phone: row.phone,
    kind: row.kind,
    jobTitle: row.job_title,
    agency: row.agency_id ? { id: row.agency_id, name: row.agency_name ?? '' } : null,
    sessionId: row.session_id,
    roles: row.roles.map((g) => ({ role: g.role, agencyId: g.agencyId, agencyName: g.agencyName })),
  }
}

/** Only `/path?query` on this site: never an open redirect. */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = '/account'): string {
  if (typeof target !== 'string' || !/^\/(?![/\\])/.test(target)) return fallback
  return target
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return user
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getCurrentUser(request)) throw redirect('/account')
}

export function clientInfo(request: Request, context: AppLoadContext): ClientInfo {
  return clientInfoOf({ ip: context.clientIp, userAgent: request.headers.get('user-agent'), cookieHeader: request.headers.get('cookie'), secure: isSecureRequest(request) })
}

/** clientInfo from the parts of a request (app/server/fast-sign-in.ts has no fetch Request). */
export function clientInfoOf({ ip, userAgent, cookieHeader, secure }: { ip: string | undefined; userAgent: string | null; cookieHeader: string | null; secure: boolean }): ClientInfo {
  return { ip: ip || 'unknown', userAgent, deviceToken: cookieFromHeader(cookieHeader, cookieName(DEVICE_COOKIE, secure)) }
}

/** The cookies a fresh sign-in sets: the session, and this browser as a trusted device. */
export function signedInHeaders(request: Request, signedIn: { session: NewSession; device: { token: string; maxAgeSeconds: number } }): Headers {
  const headers = new Headers()
  for (const cookie of signedInCookies(isSecureRequest(request), signedIn)) headers.append('Set-Cookie', cookie)
  return headers
}

/** signedInHeaders' Set-Cookie values, for a request over HTTPS (`secure`) or not. */
export function signedInCookies(secure: boolean, signedIn: { session: NewSession; device: { token: string; maxAgeSeconds: number } }): string[] {
  return [
    sessionCookieFor(secure, signedIn.session),
    serializeCookie(cookieName(DEVICE_COOKIE, secure), signedIn.device.token, { maxAgeSeconds: signedIn.device.maxAgeSeconds, secure }),
  ]
}
