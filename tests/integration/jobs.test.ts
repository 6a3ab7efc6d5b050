// The job runner (app/modules/jobs, docs/decisions/022) after a crash: a job whose process died
// mid-run is taken over when its lease runs out, exactly once; a run that outlived its lease does
// not record its outcome over the process that took the job; a job whose lease ran out on its last
// attempt is failed, not run again. On PostgreSQL and on PGlite (the clock is passed in).
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimJob, enqueueJob, JOB_LEASE_MS, runDueJobs } from '~/modules/jobs/runner.server'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
const db = (): PrismaClient => t.db.prisma
const T0 = new Date('2026-05-04T01:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

beforeAll(async () => {
  t = await openMigratedDatabase()
})

afterAll(async () => {
  await t?.dispose()
})

async function job(key: string) {
  return db().job.findUniqueOrThrow({ where: { key }, select: { status: true, attempts: true, lastError: true, finishedAt: true } })
}

describe('jobs after a crash', () => {
  it('a job claimed by a process that died is taken over once its lease runs out, and runs once more', async () => {
    await enqueueJob(db(), { kind: 'test.crash', key: 'crash:1', runAt: T0 })
    // Process A claims it and dies (nothing is recorded).
    const claimed = await claimJob(db(), T0, ['test.crash'])
    expect(claimed).toMatchObject({ key: 'crash:1', attempts: 1 })
    // Within the lease nobody may take it.
    expect(await claimJob(db(), at(JOB_LEASE_MS - 1000), ['test.crash'])).toBeNull()
    expect(await runDueJobs(db(), { 'test.crash': async () => undefined }, { now: () => at(JOB_LEASE_MS - 1000) })).toMatchObject({ done: 0 })
    // Past the lease, process B takes it over and finishes it.
    const ran: number[] = []
    const summary = await runDueJobs(db(), { 'test.crash': async (j) => void ran.push(j.attempts) }, { now: () => at(JOB_LEASE_MS + 1000) })
    expect(summary).toMatchObject({ done: 1, lost: 0 })
    expect(ran).toEqual([2])
    expect(await job('crash:1')).toMatchObject({ status: 'DONE', attempts: 2 })
    // Done is done: no third run, however late.
    expect(await claimJob(db(), at(10 * JOB_LEASE_MS), ['test.crash'])).toBeNull()
  })

  it('a run that outlived its lease does not record its outcome over the process that took the job over', async () => {
    await enqueueJob(db(), { kind: 'test.slow', key: 'slow:1', runAt: T0 })
    let release!: () => void
    const hold = new Promise<void>((resolve) => (release = resolve))
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    // A: claims at T0, hangs past its lease, then fails.
    const slow = runDueJobs(
      db(),
      {
        'test.slow': async () => {
          started()
          await hold
          throw new Error('A gave up late')
        },
      },
      { now: () => T0, onError: () => undefined },
    )
    await running
    // B: past A's lease, takes the job over and finishes it.
    expect(await runDueJobs(db(), { 'test.slow': async () => undefined }, { now: () => at(JOB_LEASE_MS + 1000) })).toMatchObject({ done: 1 })
    release()
    // A's late failure is not recorded: the job stays done, it is not queued for another run.
    expect(await slow).toMatchObject({ done: 0, retried: 0, failed: 0, lost: 1 })
    expect(await job('slow:1')).toMatchObject({ status: 'DONE', attempts: 2, lastError: null })
  })

  it('a job whose lease runs out on its last attempt is failed with the reason, not run again', async () => {
    await enqueueJob(db(), { kind: 'test.poison', key: 'poison:1', runAt: T0, maxAttempts: 2 })
    expect(await claimJob(db(), T0, ['test.poison'])).toMatchObject({ attempts: 1 })
    // Taken over once (attempt 2 of 2), and that process dies too.
    expect(await claimJob(db(), at(JOB_LEASE_MS + 1000), ['test.poison'])).toMatchObject({ attempts: 2 })
    expect(await claimJob(db(), at(2 * JOB_LEASE_MS + 2000), ['test.poison'])).toBeNull()
    const ran: string[] = []
    const summary = await runDueJobs(db(), { 'test.poison': async (j) => void ran.push(j.key) }, { now: () => at(2 * JOB_LEASE_MS + 2000) })
    expect(summary).toMatchObject({ done: 0, abandoned: 1 })
    expect(ran).toEqual([])
    const row = await job('poison:1')
    expect(row).toMatchObject({ status: 'FAILED', attempts: 2 })
    expect(row.lastError).toMatch(/lease expired/)
    expect(row.finishedAt).toEqual(at(2 * JOB_LEASE_MS + 2000))
  })
})
