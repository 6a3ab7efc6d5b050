// A password sign-in in two SQL statements (docs/decisions/029-sign-in-off-the-page-path.md), both on
// node-postgres through the pool the Prisma client also uses (Database.withConnection: the same
// driver and code path on PostgreSQL and PGlite), without Prisma's query compiler:
//   1. before the Argon2 verification, sign_in_begin() (migration 20261207300000): the account, its
//      trusted-device check, the throttle's verdict per IP and per account, and the attempt recorded
//      as under way — under advisory locks, so concurrent attempts in any process count exactly;
//   2. after it, one statement of data-modifying CTEs: the attempt's result, and on success the
//      session (per the Lucia guide: the SHA-256 of the secret), the trusted device, and the audit row.
// No connection is held across the verification (PGlite has one). Both are prepared statements,
// parsed and planned once per connection.
import type { Database } from '~/utils/db.server'
import type { Identifier } from './identifier'
import { newSession, randomToken, userAgentOf, type NewSession, type SessionPolicy } from './session.server'
import { ACCOUNT_FAILURE_CAP, DEVICE_MAX_AGE_S, FREE_FAILURES, hashToken, IP_FAILURE_CAP, MAX_DELAY_S, WINDOW_MS } from './throttle.server'

export type BeginVerdict =
  | { allowed: true; attemptId: string; user: { id: string; passwordHash: string | null; deactivated: boolean } | null }
  | { allowed: false; reason: 'delay'; retryAfterSeconds: number }
  | { allowed: false; reason: 'account-cap' | 'ip-cap'; retryAfterMinutes: number }

interface BeginRow {
  attempt_id: string | null
  user_id: string | null
  password_hash: string | null
  deactivated: boolean | null
  refusal: 'delay' | 'account-cap' | 'ip-cap' | null
  refused_until: Date | null
}

/** A device cookie that cannot be one of ours is no device at all. */
const deviceHashOf = (token: string | null) => (token && token.length <= 64 ? Buffer.from(hashToken(token)) : null)

export async function beginSignIn(
  db: Pick<Database, 'withConnection'>,
  { identifier, ip, deviceToken }: { identifier: Identifier; ip: string; deviceToken: string | null },
  now: Date,
): Promise<BeginVerdict> {
  const [row] = await db.withConnection((sql) =>
    sql.query<BeginRow>(
      `SELECT * FROM sign_in_begin($1::text, $2::boolean, $3::text, $4::bytea, $5::timestamptz, make_interval(secs => $6::int), $7::int, $8::int, $9::int, $10::int)`,
      [identifier.value, identifier.kind === 'phone', ip, deviceHashOf(deviceToken), now, WINDOW_MS / 1000, IP_FAILURE_CAP, ACCOUNT_FAILURE_CAP, FREE_FAILURES, MAX_DELAY_S],
      { prepare: true },
    ),
  )
  if (!row) throw new Error('sign_in_begin returned no row')
  if (row.refusal === 'delay') {
    return { allowed: false, reason: 'delay', retryAfterSeconds: Math.max(1, Math.ceil((row.refused_until!.getTime() - now.getTime()) / 1000)) }
  }
  if (row.refusal) {
    return { allowed: false, reason: row.refusal, retryAfterMinutes: Math.max(1, Math.ceil((row.refused_until!.getTime() - now.getTime()) / 60_000)) }
  }
  if (row.attempt_id === null) throw new Error('sign_in_begin allowed an attempt without recording it')
  return {
    allowed: true,
    attemptId: row.attempt_id,
    user: row.user_id ? { id: row.user_id, passwordHash: row.password_hash, deactivated: row.deactivated === true } : null,
  }
}

export type Outcome =
  | { kind: 'signed-in'; userId: string }
  | { kind: 'wrong'; userId: string | null }
  | { kind: 'deactivated'; userId: string }

export interface FinishedSignIn {
  session: NewSession
  device: { token: string; maxAgeSeconds: number }
}

/**
 * The second statement: the attempt's result; for a sign-in the session, the trusted device (the
 * browser's own cookie refreshed when it is this account's, else a new one) and the audit row
 * 'auth.signin.success'; otherwise the audit row 'auth.signin.failure'. Returns the session and device
 * of a sign-in, else null.
 */
export async function finishSignIn(
  db: Pick<Database, 'withConnection'>,
  attemptId: string,
  outcome: Outcome,
  { identifier, ip, userAgent, deviceToken, policy }: { identifier: string; ip: string; userAgent: string | null; deviceToken: string | null; policy: SessionPolicy },
  now: Date,
): Promise<FinishedSignIn | null> {
  const signsIn = outcome.kind === 'signed-in'
  const session = newSession(policy, now)
  const newDeviceToken = randomToken()
  const audit =
    outcome.kind === 'signed-in'
      ? { action: 'auth.signin.success', actorId: outcome.userId, details: {} }
      : { action: 'auth.signin.failure', actorId: null, details: outcome.kind === 'deactivated' ? { identifier, deactivated: true } : { identifier } }
  const [row] = await db.withConnection((sql) =>
    sql.query<{ attempts: number; sessions: number; kept_device: boolean; audits: number }>(
      `WITH attempt AS (
         UPDATE login_attempt SET success = $2::boolean WHERE id = $1::bigint AND success IS NULL RETURNING id
       ), new_session AS (
         INSERT INTO session (id, secret_hash, user_id, created_at, last_active_at, expires_at, ip, user_agent)
         SELECT $4::text, $5::bytea, $3::uuid, $6::timestamptz, $6::timestamptz, $7::timestamptz, $8::text, $9::text WHERE $13::boolean
         RETURNING id
       ), kept_device AS (
         UPDATE trusted_device SET last_used_at = $6::timestamptz WHERE $13::boolean AND token_hash = $10::bytea AND user_id = $3::uuid
         RETURNING token_hash
       ), new_device AS (
         INSERT INTO trusted_device (token_hash, user_id, created_at, last_used_at)
         SELECT $11::bytea, $3::uuid, $6::timestamptz, $6::timestamptz WHERE $13::boolean AND NOT EXISTS (SELECT 1 FROM kept_device)
         RETURNING token_hash
       ), entry AS (
         INSERT INTO audit_log (action, actor_id, target_type, target_id, ip, details)
         VALUES ($12::text, $14::uuid, 'user', $3::uuid::text, $8::text, $15::jsonb)
         RETURNING id
       )
       SELECT (SELECT count(*) FROM attempt)::int AS attempts, (SELECT count(*) FROM new_session)::int AS sessions,
              EXISTS (SELECT 1 FROM kept_device) AS kept_device, (SELECT count(*) FROM entry)::int AS audits`,
      [
        attemptId,
        outcome.kind !== 'wrong', // the password was right (a deactivated account's too, as before)
        outcome.userId,
        session.id,
        Buffer.from(session.secretHash),
        now,
        session.expiresAt,
        ip,
        userAgentOf(userAgent),
        deviceHashOf(deviceToken),
        Buffer.from(hashToken(newDeviceToken)),
        audit.action,
        signsIn,
        audit.actorId,
        JSON.stringify(audit.details),
      ],
      { prepare: true },
    ),
  )
  if (!row || row.audits !== 1) throw new Error('the sign-in was not recorded')
  if (!signsIn) return null
  if (row.sessions !== 1) throw new Error('the session was not stored')
  const token = row.kept_device ? deviceToken! : newDeviceToken
  return { session: { token: session.token, id: session.id, expiresAt: session.expiresAt }, device: { token, maxAgeSeconds: DEVICE_MAX_AGE_S } }
}
