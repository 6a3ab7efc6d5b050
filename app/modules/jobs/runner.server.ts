// Background jobs on the application's own database (docs/decisions/022): a `job` table, claimed
// with FOR UPDATE SKIP LOCKED, so N server processes on one PostgreSQL run each job once, and the
// embedded PGlite (one connection) runs the same statements. A job's `key` makes enqueuing
// idempotent; a failed run is retried later with a growing delay, up to its maxAttempts; a job whose
// process died mid-run is claimed again when its lease runs out. Handlers run outside any
// transaction (a mail can take seconds; on PGlite an open transaction would hold the only connection).
import type { Prisma, PrismaClient } from '@prisma/client'

export interface ClaimedJob {
  id: string
  kind: string
  key: string
  payload: Prisma.JsonValue
  attempts: number
  maxAttempts: number
}

export interface JobContext {
  db: PrismaClient
  /** The runner's clock (tests pass a fake one). */
  now: Date
}

export type JobHandler = (job: ClaimedJob, context: JobContext) => Promise<void>

/** How long a claimed job may run before another process may take it over. */
export const JOB_LEASE_MS = 10 * 60_000

/** The delay before retry number `attempts` (1 → 1 min, 2 → 4 min, 3 → 16 min … at most 6 h). */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 4 ** Math.max(0, attempts - 1), 6 * 3_600_000)
}

export interface EnqueueOptions {
  kind: string
  key: string
  payload?: Prisma.InputJsonValue
  runAt?: Date
  maxAttempts?: number
}

/** Adds a job unless one with the same key exists (whatever its state). True when added. */
export async function enqueueJob(db: PrismaClient | Prisma.TransactionClient, { kind, key, payload = {}, runAt = new Date(), maxAttempts = 5 }: EnqueueOptions): Promise<boolean> {
  const added = await db.$executeRaw`
    INSERT INTO job (kind, key, payload, run_at, max_attempts)
    VALUES (${kind}, ${key}, ${JSON.stringify(payload)}::jsonb, ${runAt}, ${maxAttempts})
    ON CONFLICT (key) DO NOTHING`
  return added === 1
}

/**
 * Takes the next due job (queued and due, or running with an expired lease: its process died or
 * hung), or null. A job whose lease ran out on its last attempt is not run again (a job that kills
 * its process each time would otherwise take every process down every lease): abandonJobs marks it
 * failed.
 */
export async function claimJob(db: PrismaClient, now: Date, kinds?: readonly string[]): Promise<ClaimedJob | null> {
  const leaseUntil = new Date(now.getTime() + JOB_LEASE_MS)
  const kindFilter = kinds ? [...kinds] : null
  const rows = await db.$queryRaw<{ id: string; kind: string; key: string; payload: Prisma.JsonValue; attempts: number; max_attempts: number }[]>`
    UPDATE job SET status = 'RUNNING', attempts = attempts + 1, locked_until = ${leaseUntil}
    WHERE id = (
      SELECT id FROM job
      WHERE ((status = 'QUEUED' AND run_at <= ${now}) OR (status = 'RUNNING' AND locked_until < ${now} AND attempts < max_attempts))
        AND (${kindFilter}::text[] IS NULL OR kind = ANY(${kindFilter}::text[]))
      ORDER BY run_at, created_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id::text AS id, kind, key, payload, attempts, max_attempts`
  const row = rows[0]
  return row ? { id: row.id, kind: row.kind, key: row.key, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts } : null
}

/** Jobs whose lease ran out on their last attempt: failed, with the reason. Returns how many. */
export async function abandonJobs(db: PrismaClient, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE job SET status = 'FAILED', finished_at = ${now}, locked_until = NULL,
      last_error = 'lease expired on the last attempt (the process stopped or hung)'
    WHERE status = 'RUNNING' AND locked_until < ${now} AND attempts >= max_attempts`
}

/**
 * Records the outcome of a run, only if the job is still this run's: a run that outlived its lease
 * and was taken over (another process, attempts + 1) must not mark the job done, or queue it again,
 * under the process that holds it now. 'lost' when it was not.
 */
async function finish(db: PrismaClient, job: ClaimedJob, now: Date, error: unknown): Promise<'done' | 'retry' | 'failed' | 'lost'> {
  if (error === undefined) {
    const n = await db.$executeRaw`
      UPDATE job SET status = 'DONE', finished_at = ${now}, locked_until = NULL, last_error = NULL
      WHERE id = ${job.id}::uuid AND status = 'RUNNING' AND attempts = ${job.attempts}`
    return n === 1 ? 'done' : 'lost'
  }
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000)
  const final = job.attempts >= job.maxAttempts
  const runAt = new Date(now.getTime() + retryDelayMs(job.attempts))
  const n = await db.$executeRaw`
    UPDATE job SET status = ${final ? 'FAILED' : 'QUEUED'}::"JobStatus", run_at = ${runAt}, locked_until = NULL,
      last_error = ${message}, finished_at = ${final ? now : null}
    WHERE id = ${job.id}::uuid AND status = 'RUNNING' AND attempts = ${job.attempts}`
  if (n !== 1) return 'lost'
  return final ? 'failed' : 'retry'
}

export interface RunSummary {
  done: number
  retried: number
  failed: number
  /** Runs that outlived their lease and found the job taken over: their outcome was not recorded. */
  lost: number
  /** Jobs whose lease ran out on their last attempt, marked failed. */
  abandoned: number
}

/**
 * Runs due jobs one after another until none is due (or `limit` ran). Two runners (two processes,
 * or a page's "send now" beside the timer) never take the same job.
 */
export async function runDueJobs(
  db: PrismaClient,
  handlers: Readonly<Record<string, JobHandler>>,
  { now = () => new Date(), limit = 200, onError }: { now?: () => Date; limit?: number; onError?: (job: ClaimedJob, error: unknown) => void } = {},
): Promise<RunSummary> {
  const summary: RunSummary = { done: 0, retried: 0, failed: 0, lost: 0, abandoned: await abandonJobs(db, now()) }
  for (let i = 0; i < limit; i++) {
    const job = await claimJob(db, now(), Object.keys(handlers))
    if (!job) break
    let error: unknown = undefined
    try {
      const handler = handlers[job.kind]
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`)
      await handler(job, { db, now: now() })
    } catch (e) {
      error = e ?? new Error('job failed')
      onError?.(job, error)
    }
    const outcome = await finish(db, job, now(), error)
    if (outcome === 'done') summary.done++
    else if (outcome === 'retry') summary.retried++
    else if (outcome === 'lost') summary.lost++
    else summary.failed++
  }
  return summary
}

export interface JobRunnerOptions {
  intervalMs: number
  /** Called before each round (e.g. to enqueue the daily reminder run). */
  beforeRound?: (now: Date) => Promise<void>
  onError: (error: unknown) => void
}

/**
 * Runs a round now and then every `intervalMs` (the timer does not keep the process alive); a round
 * never overlaps the previous one in this process. Returns a stop function that waits for the round.
 */
export function startJobRunner(db: PrismaClient, handlers: Readonly<Record<string, JobHandler>>, options: JobRunnerOptions): { stop(): Promise<void>; kick(): void } {
  let current: Promise<void> | null = null
  let stopped = false
  const round = () => {
    if (current || stopped) return
    current = (async () => {
      try {
        await options.beforeRound?.(new Date())
        await runDueJobs(db, handlers, { onError: (job, error) => options.onError(Object.assign(new Error(`[jobs] ${job.kind} ${job.key}: ${(error as Error)?.message ?? error}`), { cause: error })) })
      } catch (error) {
        options.onError(error)
      } finally {
        current = null
      }
    })()
  }
  const first = setTimeout(round, 2_000)
  first.unref()
  const timer = setInterval(round, options.intervalMs)
  timer.unref()
  return {
    kick: round,
    async stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      await current
    },
  }
}
