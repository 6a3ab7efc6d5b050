// One rule for the attempts that count (all of them, or in a renewal those since the last
// completion), used by the quiz page, the start and the review; and a review that never shows the
// answers while an attempt remains (showAnswers: after-last-attempt), in a renewal too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markLessonDone } from '~/modules/learning/progress.server'
import { getAttempt, quizOverview, startAttempt, submitAttempt } from '~/modules/quiz/attempt.server'
import { setDatabase } from '~/utils/db.server'
import { FINAL_QUIZ, startLearningContent } from '../setup/learning-fixture'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let userId: string
const db = () => t.db.prisma
const courseSlug = 'khoa-thu'
const RIGHT = { 'cau-mot': ['b'], 'cau-hai': ['true'], 'cau-ba': ['1024'], 'cau-bon': ['mat khau'] }
const WRONG = { 'cau-mot': ['a'], 'cau-hai': ['false'], 'cau-ba': ['1'], 'cau-bon': ['sai'] }

beforeAll(async () => {
  t = await openSeededDatabase({ demo: false })
  setDatabase(t.db)
  await startLearningContent(db(), { 'courses/khoa-thu/final-quiz.yaml': FINAL_QUIZ.replace('showAnswers: after-each-attempt', 'showAnswers: after-last-attempt') })
  userId = (await db().user.create({ data: { email: 'hoc@quiz.example', fullName: 'Người Học', kind: 'CITIZEN' } })).id
})
afterAll(async () => {
  setDatabase(undefined)
  await t?.dispose()
})

async function attempt(responses: Record<string, string[]>) {
  const { attemptId } = await startAttempt({ userId, courseSlug }, db())
  await submitAttempt({ userId, courseSlug, attemptId, responses }, db())
  return attemptId
}

describe('attempts that count', () => {
  it('hides the answers while an attempt remains, and counts a renewal afresh on the quiz page, the start and the review alike', async () => {
    await markLessonDone({ userId, courseSlug, lessonSlug: 'bai-mot' }, db())
    await markLessonDone({ userId, courseSlug, lessonSlug: 'bai-hai' }, db())
    const first = await attempt(WRONG)
    expect(await getAttempt({ userId, courseSlug, attemptId: first }, db())).toMatchObject({ review: null, attemptsLeft: 2 })
    await attempt(RIGHT) // passed: completed, a certificate
    const third = await attempt(WRONG)
    // All three used: the review may show the answers now.
    const last = await getAttempt({ userId, courseSlug, attemptId: third }, db())
    expect(last).toMatchObject({ attemptsLeft: 0 })
    expect(last.status === 'SUBMITTED' && last.review?.length).toBe(4)
    await expect(startAttempt({ userId, courseSlug }, db())).rejects.toMatchObject({ code: 'CONFLICT' })

    // Two years on, the certificate expires within the notice period: a renewal, attempts afresh.
    const long = new Date(Date.now() - 700 * 86_400_000)
    await db().certificate.updateMany({ data: { issuedAt: long, expiresAt: new Date(Date.now() + 30 * 86_400_000) } })
    await db().courseCompletion.updateMany({ data: { completedAt: long } })
    await db().quizAttempt.updateMany({ data: { startedAt: long } })
    expect((await quizOverview({ userId, courseSlug }, db())).attemptsLeft).toBe(3)

    const renewal = await attempt(WRONG)
    // Two renewal attempts remain: the review must not give the answers away (it did, counting all four).
    expect(await getAttempt({ userId, courseSlug, attemptId: renewal }, db())).toMatchObject({ review: null, attemptsLeft: 2 })
    expect((await quizOverview({ userId, courseSlug }, db())).attemptsLeft).toBe(2)
    await attempt(WRONG)
    const end = await attempt(WRONG)
    const after = await getAttempt({ userId, courseSlug, attemptId: end }, db())
    expect(after).toMatchObject({ attemptsLeft: 0 })
    expect(after.status === 'SUBMITTED' && after.review?.length).toBe(4)
    await expect(startAttempt({ userId, courseSlug }, db())).rejects.toMatchObject({ code: 'CONFLICT' })
    expect((await quizOverview({ userId, courseSlug }, db())).attemptsLeft).toBe(0)
  })
})
