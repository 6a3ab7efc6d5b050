// Sign-in throttling kept in the database, so it holds across processes and restarts.
//
// - Per account (the identifier typed, whether or not an account has it): after a few failures,
//   each attempt must wait a growing delay after the last failure (1 s, 2 s, 4 s … at most 60 s).
// - At most 100 failed attempts per account per hour from devices that never signed in to it.
//   A device that has (OWASP's "device cookie", table trusted_device) is not held by that cap:
//   an attacker can slow the real user down by the delay, but cannot lock them out.
// - Per IP: at most 1,000 failures an hour. Generous on purpose: a whole commune office often
//   shares one public address.
// Refused attempts are not recorded, so hammering a capped account does not extend the window.
// A password sign-in decides and records its attempt in one locked statement before verifying
// (sign_in_begin, ./sign-in.server.ts, docs/decisions/029); an attempt under way (success NULL)
// counts as a failure until its result is written. The functions below serve the class PIN sign-in.
import { sha256 } from '@oslojs/crypto/sha2'
import type { PrismaClient } from '@prisma/client'
import { randomToken } from './session.server'

export const WINDOW_MS = 60 * 60 * 1000
export const ACCOUNT_FAILURE_CAP = 100
export const IP_FAILURE_CAP = 1000
export const FREE_FAILURES = 4
export const MAX_DELAY_S = 60

/** Seconds to wait after the last failure, given how many failures came before it. */
export function delayAfterFailures(failures: number): number {
  if (failures <= FREE_FAILURES) return 0
  return Math.min(2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_S)
}

export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'delay'; retryAfterSeconds: number }
  | { allowed: false; reason: 'account-cap' | 'ip-cap'; retryAfterMinutes: number }

interface FailureStats {
  failures: number
  last: Date | null
  oldest: Date | null
}

async function accountFailures(prisma: PrismaClient, identifier: string, since: Date): Promise<FailureStats> {
  // Failures in the window after the account's last successful sign-in.
  const rows = await prisma.$queryRaw<{ failures: number; last: Date | null; oldest: Date | null }[]>`
    SELECT count(*)::int AS failures, max(at) AS last, min(at) AS oldest
      FROM login_attempt
     WHERE identifier = ${identifier} AND success IS NOT TRUE AND at > ${since}
       AND at > coalesce((SELECT max(at) FROM login_attempt WHERE identifier = ${identifier} AND success), '-infinity')`
  return rows[0] ?? { failures: 0, last: null, oldest: null }
}

export async function checkSignInAllowed(
  prisma: PrismaClient,
  { identifier, ip, trustedDevice }: { identifier: string; ip: string; trustedDevice: boolean },
  now = new Date(),
): Promise<ThrottleVerdict> {
  const since = new Date(now.getTime() - WINDOW_MS)
  const ipRows = await prisma.$queryRaw<{ failures: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS failures, min(at) AS oldest FROM login_attempt WHERE ip = ${ip} AND success IS NOT TRUE AND at > ${since}`
  const ipStats = ipRows[0]!
  if (ipStats.failures >= IP_FAILURE_CAP) {
    return { allowed: false, reason: 'ip-cap', retryAfterMinutes: minutesUntilWindowEnds(ipStats.oldest, now) }
  }
  const account = await accountFailures(prisma, identifier, since)
  if (account.failures >= ACCOUNT_FAILURE_CAP && !trustedDevice) {
    return { allowed: false, reason: 'account-cap', retryAfterMinutes: minutesUntilWindowEnds(account.oldest, now) }
  }
  const delay = delayAfterFailures(account.failures)
  if (delay > 0 && account.last) {
    const waitMs = account.last.getTime() + delay * 1000 - now.getTime()
    if (waitMs > 0) return { allowed: false, reason: 'delay', retryAfterSeconds: Math.ceil(waitMs / 1000) }
  }
  return { allowed: true }
}

function minutesUntilWindowEnds(oldest: Date | null, now: Date): number {
  if (!oldest) return 1
  return Math.max(1, Math.ceil((oldest.getTime() + WINDOW_MS - now.getTime()) / 60_000))
}

export async function recordSignInAttempt(
  prisma: PrismaClient,
  { identifier, ip, success }: { identifier: string; ip: string; success: boolean },
  now = new Date(),
): Promise<void> {
  await prisma.loginAttempt.create({ data: { identifier, ip, success, at: now } })
}

/** Attempts older than a day have no use left. */
export async function pruneSignInAttempts(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - 24 * WINDOW_MS) } } })
  return count
}

// ─── Trusted devices ───

export const DEVICE_COOKIE = 'banso_device'
export const DEVICE_MAX_AGE_S = 365 * 86_400

export function hashToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sha256(new TextEncoder().encode(token)))
}

export async function isTrustedDevice(prisma: PrismaClient, userId: string, token: string | null): Promise<boolean> {
  if (!token || token.length > 64) return false
  const device = await prisma.trustedDevice.findUnique({ where: { tokenHash: hashToken(token) } })
  return device?.userId === userId
}

/** After a successful sign-in: remember this browser for the account. Returns the token to set. */
export async function trustDevice(prisma: PrismaClient, userId: string, existingToken: string | null, now = new Date()) {
  if (existingToken && existingToken.length <= 64) {
    const updated = await prisma.trustedDevice.updateMany({
      where: { tokenHash: hashToken(existingToken), userId },
      data: { lastUsedAt: now },
    })
    if (updated.count > 0) return { token: existingToken, maxAgeSeconds: DEVICE_MAX_AGE_S }
  }
  const token = randomToken()
  await prisma.trustedDevice.create({ data: { tokenHash: hashToken(token), userId, createdAt: now, lastUsedAt: now } })
  return { token, maxAgeSeconds: DEVICE_MAX_AGE_S }
}
