// xAPI statements to an LRS (docs/decisions/026) against a tiny LRS started here (tests/setup/lrs.ts):
// lesson done, quiz failed and passed, certificate issued each queue one statement in their own
// transaction, nothing reaches the LRS until the job runner runs; the statements sent carry the
// actor (account, no name or email), the verb, the object and the result; with the LRS down
// (503, dropped connections, an answer lost after storing) nothing is lost, retries wait their
// backoff, and each statement is stored exactly once when the LRS is back. PostgreSQL and PGlite.
import fs from 'node:fs'
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withFileEnv } from '../setup/env'
import { startLrs } from '../setup/lrs'

// The LRS of this test and the public origin, set for this file's tests (withFileEnv: before its own hooks).
const lrs = await startLrs({ user: 'banso-key', password: 'bí-mật:123' })
const ORIGIN = 'https://hoc.banso.example'
withFileEnv({ XAPI_LRS_URL: lrs.url, XAPI_LRS_AUTH: 'banso-key:bí-mật:123', APP_ORIGIN: ORIGIN })

const { setContentStore } = await import('~/modules/content/service.server')
const { runDueJobs } = await import('~/modules/jobs/runner.server')
const { markLessonDone } = await import('~/modules/learning/progress.server')
const { startAttempt, submitAttempt } = await import('~/modules/quiz/attempt.server')
const { recordXapi, xapiJobs, XAPI_JOB } = await import('~/modules/xapi/service.server')
const { getEnv } = await import('~/utils/env.server')
const { startLearningContent } = await import('../setup/learning-fixture')
const { openMigratedDatabase } = await import('../setup/test-database')

let t: Awaited<ReturnType<typeof openMigratedDatabase>>
const dirs: string[] = []
const db = (): PrismaClient => t.db.prisma
const handlers = () => xapiJobs(() => getEnv())
const RIGHT = { 'cau-mot': ['b'], 'cau-hai': ['true'], 'cau-ba': ['1024'], 'cau-bon': ['mat khau'] }
const HALF_WRONG = { 'cau-mot': ['b'], 'cau-hai': ['false'], 'cau-ba': ['1000'], 'cau-bon': ['mat khau'] }

beforeAll(async () => {
  t = await openMigratedDatabase()
  const { contentDir, cacheDir } = await startLearningContent(db())
  dirs.push(contentDir, cacheDir)
}, 120_000)

afterAll(async () => {
  setContentStore(undefined)
  await t?.dispose()
  await lrs.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function person(name: string) {
  return db().user.create({ data: { fullName: name, email: `${name.toLowerCase().replace(/\W+/g, '')}-${Date.now()}@banso.example`, kind: 'CITIZEN' }, select: { id: true, email: true } })
}

const xapiJobRows = () => db().job.findMany({ where: { kind: XAPI_JOB }, orderBy: { createdAt: 'asc' } })
type Sent = { id: string; actor: Record<string, unknown>; verb: { id: string }; object: { id: string; definition: { name: Record<string, string>; type?: string } }; result: Record<string, unknown>; timestamp: string; context: Record<string, unknown> }
const sentFor = (userId: string) => [...lrs.statements.values()].map((s) => s as unknown as Sent).filter((s) => (s.actor.account as { name: string }).name === userId)

describe('statements of the learning events', () => {
  let userId: string
  let email: string | null

  it('queues one statement per event, in the event\'s transaction, without calling the LRS', async () => {
    ;({ id: userId, email } = await person('Hoc Vien Mot'))
    const lessons = await db().lesson.findMany({ where: { course: { slug: 'khoa-thu' }, retiredAt: null }, orderBy: { position: 'asc' }, select: { slug: true } })
    expect(lessons.length).toBeGreaterThanOrEqual(2)
    for (const lesson of lessons) await markLessonDone({ userId, courseSlug: 'khoa-thu', lessonSlug: lesson.slug }, db())
    // Done again: nothing new is recorded, so no second statement.
    await markLessonDone({ userId, courseSlug: 'khoa-thu', lessonSlug: lessons[0]!.slug }, db())
    const failed = await startAttempt({ userId, courseSlug: 'khoa-thu' }, db())
    await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId: failed.attemptId, responses: HALF_WRONG }, db())
    // A resent submission grades nothing: no statement either.
    expect(await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId: failed.attemptId, responses: RIGHT }, db())).toMatchObject({ alreadySubmitted: true })
    const passed = await startAttempt({ userId, courseSlug: 'khoa-thu' }, db())
    await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId: passed.attemptId, responses: RIGHT }, db())
    expect(await db().certificate.count({ where: { userId } })).toBe(1)

    const jobs = await xapiJobRows()
    // Two lessons (once each), a failed and a passed quiz, the certificate.
    expect(jobs.map((j) => (j.payload as { event: { kind: string } }).event.kind)).toEqual(['lesson.completed', 'lesson.completed', 'quiz.graded', 'quiz.graded', 'certificate.issued'])
    expect(jobs.every((j) => j.status === 'QUEUED' && j.key === `xapi:${(j.payload as { statementId: string }).statementId}`)).toBe(true)
    // No page waited on the LRS: it has not been called.
    expect(lrs.requests).toHaveLength(0)
  })

  it('sends them from the job runner: actor, verb, object and result per xAPI 1.0.3', async () => {
    const later = new Date(Date.now() + 60_000)
    const summary = await runDueJobs(db(), handlers(), { now: () => later })
    expect(summary).toMatchObject({ done: 5, retried: 0, failed: 0 })
    expect(lrs.requests.every((r) => r.method === 'PUT' && r.version === '1.0.3' && r.answered === 204)).toBe(true)
    expect(lrs.requests.every((r) => r.authorization === `Basic ${Buffer.from('banso-key:bí-mật:123').toString('base64')}`)).toBe(true)
    const sent = sentFor(userId)
    expect(sent).toHaveLength(5)
    // Each statement carries the id made at its event (kept in its job), which is also the PUT's statementId.
    const made = (await xapiJobRows()).map((j) => (j.payload as { statementId: string }).statementId)
    expect(sent.map((s) => s.id).sort()).toEqual(made.slice(0, 5).sort())
    expect(lrs.requests.map((r) => r.statementId).sort()).toEqual(made.slice(0, 5).sort())
    // The actor is the account on this site, named by the user's id: no name, no email.
    for (const s of sent) {
      expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: ORIGIN, name: userId } })
      expect(JSON.stringify(s)).not.toContain(email!)
      expect(JSON.stringify(s)).not.toContain('Hoc Vien Mot')
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(Number.isNaN(Date.parse(s.timestamp))).toBe(false)
      expect(s.context).toMatchObject({ platform: 'Bản Số', language: 'vi-VN', contextActivities: { parent: [{ id: `${ORIGIN}/courses/khoa-thu`, definition: { name: { 'vi-VN': 'Khoá thử nghiệm' } } }] } })
    }
    const byVerb = (verb: string) => sent.filter((s) => s.verb.id === verb)
    const lessonsDone = byVerb('http://adlnet.gov/expapi/verbs/completed')
    expect(lessonsDone.map((s) => s.object.id).sort()).toEqual([`${ORIGIN}/courses/khoa-thu/bai-hai`, `${ORIGIN}/courses/khoa-thu/bai-mot`])
    expect(lessonsDone[0]!.object.definition.type).toBe('http://adlnet.gov/expapi/activities/lesson')
    expect(lessonsDone.map((s) => s.object.definition.name['vi-VN']).sort()).toEqual(['Bài hai', 'Bài một'].sort())
    expect(lessonsDone[0]!.result).toEqual({ completion: true })

    const [fail] = byVerb('http://adlnet.gov/expapi/verbs/failed')
    expect(fail!.object).toMatchObject({ id: `${ORIGIN}/courses/khoa-thu/quiz`, definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } })
    expect(fail!.result).toEqual({ score: { scaled: 0.5, raw: 50, min: 0, max: 100 }, success: false, completion: true })
    const [pass] = byVerb('http://adlnet.gov/expapi/verbs/passed')
    expect(pass!.object.id).toBe(`${ORIGIN}/courses/khoa-thu/quiz`)
    expect(pass!.result).toEqual({ score: { scaled: 1, raw: 100, min: 0, max: 100 }, success: true, completion: true })

    const [earned] = byVerb('http://id.tincanapi.com/verb/earned')
    const certificate = await db().certificate.findFirstOrThrow({ where: { userId } })
    expect(earned!.object).toMatchObject({ id: `${ORIGIN}/courses/khoa-thu/certificate`, definition: { name: { 'vi-VN': 'Chứng chỉ: Khoá thử nghiệm' } } })
    expect(earned!.result).toEqual({ success: true, completion: true })
    expect(earned!.context.extensions).toEqual({
      [`${ORIGIN}/xapi/extensions/certificate-number`]: certificate.number,
      [`${ORIGIN}/xapi/extensions/certificate-expires`]: certificate.expiresAt!.toISOString(),
    })
    expect(earned!.timestamp).toBe(certificate.issuedAt.toISOString())
    // Every job is done; running again sends nothing.
    expect((await xapiJobRows()).every((j) => j.status === 'DONE')).toBe(true)
    const before = lrs.requests.length
    expect(await runDueJobs(db(), handlers(), { now: () => new Date(later.getTime() + 86_400_000) })).toMatchObject({ done: 0, retried: 0 })
    expect(lrs.requests.length).toBe(before)
  })
})

describe('with the LRS down for a while', () => {
  it('loses nothing, retries with backoff and stores each statement exactly once when it is back', async () => {
    lrs.requests.length = 0
    const { id: userId } = await person('Hoc Vien Hai')
    const attempt = await startAttempt({ userId, courseSlug: 'khoa-thu' }, db())
    await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId: attempt.attemptId, responses: HALF_WRONG }, db())
    await markLessonDone({ userId, courseSlug: 'khoa-thu', lessonSlug: 'bai-mot' }, db())
    const ids = (await xapiJobRows()).filter((j) => j.status === 'QUEUED').map((j) => (j.payload as { statementId: string }).statementId)
    expect(ids).toHaveLength(2)
    const T0 = new Date(Date.now() + 60_000)
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
    const queued = async () => db().job.findMany({ where: { kind: XAPI_JOB, status: { not: 'DONE' } }, select: { status: true, attempts: true, runAt: true, lastError: true } })

    // 1. Maintenance (503): both retried in a minute.
    lrs.mode = '503'
    expect(await runDueJobs(db(), handlers(), { now: () => T0 })).toMatchObject({ done: 0, retried: 2 })
    let rows = await queued()
    expect(rows).toHaveLength(2)
    for (const r of rows) expect(r).toMatchObject({ status: 'QUEUED', attempts: 1, runAt: at(1), lastError: expect.stringContaining('503') })
    // Not before the backoff: half a minute later nothing is tried.
    const tried = lrs.requests.length
    expect(await runDueJobs(db(), handlers(), { now: () => at(0.5) })).toMatchObject({ done: 0, retried: 0 })
    expect(lrs.requests.length).toBe(tried)

    // 2. Connections dropped: retried again, 4 minutes later.
    lrs.mode = 'drop'
    expect(await runDueJobs(db(), handlers(), { now: () => at(1) })).toMatchObject({ done: 0, retried: 2 })
    rows = await queued()
    for (const r of rows) expect(r).toMatchObject({ status: 'QUEUED', attempts: 2, runAt: at(5), lastError: expect.stringContaining('LRS unreachable') })

    // 3. The LRS stores the statements but the answers are lost: the runner cannot know, retries.
    lrs.mode = 'store-then-drop'
    expect(await runDueJobs(db(), handlers(), { now: () => at(5) })).toMatchObject({ done: 0, retried: 2 })
    expect(ids.every((id) => lrs.statements.has(id))).toBe(true)
    rows = await queued()
    for (const r of rows) expect(r).toMatchObject({ attempts: 3, runAt: at(21) })

    // 4. Back: the same ids are PUT again; the LRS keeps one of each.
    lrs.mode = 'up'
    expect(await runDueJobs(db(), handlers(), { now: () => at(21) })).toMatchObject({ done: 2, retried: 0, failed: 0 })
    expect(await queued()).toHaveLength(0)
    for (const id of ids) {
      const puts = lrs.requests.filter((r) => r.statementId === id)
      expect(puts.filter((r) => r.answered === 204)).toHaveLength(1)
      expect(puts.length).toBeGreaterThanOrEqual(4)
    }
    const sent = sentFor(userId)
    expect(sent).toHaveLength(2)
    expect(sent.map((s) => s.verb.id).sort()).toEqual(['http://adlnet.gov/expapi/verbs/completed', 'http://adlnet.gov/expapi/verbs/failed'])
  })

  it('gives a statement up only after its attempts, kept FAILED with the last error (never silently dropped)', async () => {
    const { id: userId } = await person('Hoc Vien Ba')
    await markLessonDone({ userId, courseSlug: 'khoa-thu', lessonSlug: 'bai-hai' }, db())
    lrs.mode = '503'
    let now = new Date(Date.now() + 60_000)
    let rounds = 0
    for (;;) {
      const summary = await runDueJobs(db(), handlers(), { now: () => now })
      rounds++
      if (summary.failed === 1) break
      expect(summary.retried).toBe(1)
      now = new Date(now.getTime() + 6 * 3_600_000)
      expect(rounds).toBeLessThan(50)
    }
    const job = await db().job.findFirstOrThrow({ where: { kind: XAPI_JOB, status: 'FAILED' } })
    expect(job.attempts).toBe(job.maxAttempts)
    expect(job.maxAttempts).toBeGreaterThanOrEqual(10)
    expect(job.lastError).toContain('503')
    lrs.mode = 'up'
  })
})

describe('without an LRS', () => {
  it('queues nothing', async () => {
    const before = await db().job.count({ where: { kind: XAPI_JOB } })
    const { id: userId } = await person('Hoc Vien Bon')
    const id = await db().$transaction((tx) =>
      recordXapi(tx, { kind: 'lesson.completed', userId, course: { slug: 'khoa-thu', title: 'Khoá thử nghiệm' }, lesson: { slug: 'bai-mot', title: 'Bài một' }, at: new Date() }, { XAPI_LRS_URL: undefined, XAPI_LRS_AUTH: undefined, APP_ORIGIN: ORIGIN }),
    )
    expect(id).toBeNull()
    expect(await db().job.count({ where: { kind: XAPI_JOB } })).toBe(before)
  })

  it('a statement rolled back with its event is never queued', async () => {
    const before = await db().job.count({ where: { kind: XAPI_JOB } })
    const { id: userId } = await person('Hoc Vien Nam')
    await expect(
      db().$transaction(async (tx) => {
        await recordXapi(tx, { kind: 'lesson.completed', userId, course: { slug: 'khoa-thu', title: 'Khoá thử nghiệm' }, lesson: { slug: 'bai-mot', title: 'Bài một' }, at: new Date() })
        throw new Error('the event failed')
      }),
    ).rejects.toThrow('the event failed')
    expect(await db().job.count({ where: { kind: XAPI_JOB } })).toBe(before)
  })
})
