// Large counter refreshes in the background (docs/decisions/016, amendment of 2026-12-07).
//
// An assignment on a province, or a move of a large subtree under (or away from) an assignment,
// concerns tens of thousands of people. Above report_clock.refresh_inline_max people the database
// triggers do not refresh them in the admin's transaction: they queue the (person, course) pairs
// in report_pending and enqueue the job `report.refresh` (ADR 022's job table) in that same
// transaction (migration 20261207200000). This module is the job: it refreshes the queued pairs in
// chunks, one short transaction each (report_drain; pairs another process is draining are skipped,
// so N processes share the work and each pair is refreshed and removed by one committed
// transaction). A failed chunk rolls back alone and the job runner retries the job later.
//
// Until a pair is drained, the report statement computes that person's flags at read time instead
// of trusting their stored rows (countersReportSql, `queued`): the figures stay exact meanwhile.
import type { PrismaClient } from '@prisma/client'
import { runDueJobs, type JobHandler } from '~/modules/jobs/runner.server'

export const REPORT_REFRESH_JOB = 'report.refresh'

/** Queued pairs refreshed per transaction (a chunk of ≈ 2,000 people takes well under a second). */
export const REPORT_DRAIN_CHUNK = 2_000

export interface DrainOptions {
  chunk?: number
  /** After each committed chunk, with the number of pairs it drained (progress, tests). */
  onChunk?: (drained: number) => void | Promise<void>
}

/** Refreshes every queued pair, chunk by chunk, until none is left. Returns how many it drained. */
export async function drainReportPending(db: PrismaClient, { chunk = REPORT_DRAIN_CHUNK, onChunk }: DrainOptions = {}): Promise<number> {
  let total = 0
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`SELECT report_drain(${chunk}::int) AS n`
    const n = Number(row?.n ?? 0)
    if (n === 0) return total
    total += n
    await onChunk?.(n)
  }
}

/** The job runner's handler of `report.refresh` (registered by the server with the other jobs). */
export function reportJobs(options: DrainOptions = {}): Record<string, JobHandler> {
  return {
    [REPORT_REFRESH_JOB]: async (_job, { db }) => {
      await drainReportPending(db, options)
    },
  }
}

/**
 * Starts the queued refresh jobs now in this process rather than at the runner's next round
 * (every JOBS_INTERVAL_SECONDS): called by the pages after a write that queued a refresh, so the
 * window in which the affected views recompute queued people at read time is the drain alone. The
 * jobs are claimed from the job table as the runner claims them (exactly once across processes);
 * the request does not wait. A failure is left to the runner's retry.
 */
export function kickReportRefresh(db: PrismaClient, onError: (error: unknown) => void = (error) => console.error('[report] cập nhật số liệu ở nền thất bại:', error)): Promise<void> {
  return runDueJobs(db, reportJobs(), { limit: 10, onError: (_job, error) => onError(error) }).then(
    () => undefined,
    (error: unknown) => onError(error),
  )
}

export interface RefreshStatus {
  /** Queued (person, course) pairs not refreshed yet. */
  pending: number
  /** Share already refreshed of what the unfinished jobs queued, 0–100 (null when unknown). */
  percent: number | null
}

/** The SQL of the status (also embedded in the report's one statement). */
export const REFRESH_STATUS_SQL = `SELECT (SELECT count(*)::int FROM report_pending) AS pending,
  (SELECT sum((payload->>'people')::bigint * (payload->>'courses')::bigint)::int FROM job
    WHERE kind = '${REPORT_REFRESH_JOB}' AND status IN ('QUEUED', 'RUNNING')) AS queued`

export function refreshStatusOf(pending: number, queued: number | null): RefreshStatus | null {
  if (pending <= 0) return null
  const total = queued === null ? 0 : Number(queued)
  return { pending, percent: total >= pending ? Math.floor((100 * (total - pending)) / total) : null }
}

/** Null when nothing is queued; else how much is left ("đang cập nhật số liệu…" on the pages). */
export async function reportRefreshStatus(db: PrismaClient): Promise<RefreshStatus | null> {
  const [row] = await db.$queryRawUnsafe<{ pending: number; queued: number | null }[]>(REFRESH_STATUS_SQL)
  return refreshStatusOf(Number(row?.pending ?? 0), row?.queued ?? null)
}
