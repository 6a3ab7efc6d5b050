// What is left of the background refresh of the report counters (docs/decisions/016).
//
// From 2026-12-07 to 2026-12-08 a refresh of more than 5,000 people (an assignment on a province,
// a move of a large subtree under an assignment) was queued in report_pending for the job
// `report.refresh`, and the report recomputed the queued people at read time meanwhile (exact, but
// a province view took seconds). Since migration 20261208200000 those refreshes run in the writer's
// transaction, set-based (report_refresh_overdue): nothing queues any more, the counters are exact
// at every commit and the report reads no queue.
//
// The job stays registered for one release: it drains whatever a process started before that
// migration may still have queued (report_drain: one short transaction per chunk, pairs another
// process is draining skipped, each pair refreshed and removed by one committed transaction), and
// finishes at once when the queue is empty, as it always is otherwise.
import type { PrismaClient } from '@prisma/client'
import type { JobHandler } from '~/modules/jobs/runner.server'

export const REPORT_REFRESH_JOB = 'report.refresh'

/** Queued pairs refreshed per transaction. */
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
