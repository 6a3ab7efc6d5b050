// Argon2id with OWASP's setting: m = 19 MiB, t = 2, p = 1. Computed in the low-priority worker
// threads of argon2-pool.server.ts, so sign-ins do not take the CPU from page requests.
import { argon2Pool } from './argon2-pool.server'

export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const
// `algorithm` left out: @node-rs/argon2's default is Argon2id.

export function hashPassword(password: string): Promise<string> {
  return argon2Pool().run<string>({ op: 'hash', args: [password.normalize('NFC'), ARGON2_OPTIONS] })
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2Pool().run<boolean>({ op: 'verify', args: [passwordHash, password.normalize('NFC')] })
  } catch {
    return false // a malformed stored hash never signs anyone in
  }
}

/**
 * Whether a sign-in's verification may join the queue now; when it is full, the seconds to ask the
 * person to wait (a 503 with Retry-After: a rush is turned away at once, not kept waiting minutes).
 */
export function verificationRoom(): { ok: true } | { ok: false; retryAfterSeconds: number } {
  const pool = argon2Pool()
  return pool.admits() ? { ok: true } : { ok: false, retryAfterSeconds: pool.retryAfterSeconds() }
}
