// The signed-in person of a request, and the guards routes use.
import { redirect, type AppLoadContext } from '@remix-run/node'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import type { Actor, RoleGrantView } from './permissions.server'
import type { ClientInfo } from './service.server'
import {
  cookieName,
  isSecureRequest,
  readCookie,
  readSessionToken,
  serializeCookie,
  sessionCookie,
  sessionPolicy,
  validateSessionToken,
  type NewSession,
} from './session.server'
import { DEVICE_COOKIE } from './throttle.server'
import { personSelect } from './users.server'

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

async function loadCurrentUser(request: Request): Promise<CurrentUser | null> {
  const token = readSessionToken(request)
  if (!token) return null
  const db = prisma()
  const session = await validateSessionToken(db, token, currentSessionPolicy())
  if (!session) return null
  const user = await db.user.findUnique({
    where: { id: session.userId },
    select: {
      ...personSelect,
      roleGrants: { select: { role: true, agencyId: true, agency: { select: { name: true } } } },
    },
  })
  if (!user) return null
  return {
    ...user,
    sessionId: session.id,
    roles: user.roleGrants.map((g) => ({ role: g.role, agencyId: g.agencyId, agencyName: g.agency?.name ?? null })),
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
  return {
    ip: context.clientIp || 'unknown',
    userAgent: request.headers.get('user-agent'),
    deviceToken: readCookie(request, cookieName(DEVICE_COOKIE, isSecureRequest(request))),
  }
}

function deviceCookie(request: Request, device: { token: string; maxAgeSeconds: number }): string {
  const secure = isSecureRequest(request)
  return serializeCookie(cookieName(DEVICE_COOKIE, secure), device.token, { maxAgeSeconds: device.maxAgeSeconds, secure })
}

/** The cookies a fresh sign-in sets: the session, and this browser as a trusted device. */
export function signedInHeaders(request: Request, signedIn: { session: NewSession; device: { token: string; maxAgeSeconds: number } }): Headers {
  const headers = new Headers()
  headers.append('Set-Cookie', sessionCookie(request, signedIn.session))
  headers.append('Set-Cookie', deviceCookie(request, signedIn.device))
  return headers
}
