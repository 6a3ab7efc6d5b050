// The default review of a final quiz (showAnswers: verdicts-until-done) shows which answers were
// wrong but neither the right answers nor the explanations until the learner passes or has no
// attempt left; and a drawn numeric question (numeric-drawn) gets its own numbers per attempt,
// kept on the server, graded there, never with its answer in what the page gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawValues } from '~/modules/content/formula'
import { getAttempt, startAttempt, submitAttempt } from '~/modules/quiz/attempt.server'
import type { Draw } from '~/modules/quiz/grading.server'
import { setDatabase } from '~/utils/db.server'
import { QUIZ_QUESTIONS, startLearningContent } from '../setup/learning-fixture'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let userId: string
const db = () => t.db.prisma
const courseSlug = 'khoa-thu'

const DRAWN = `- id: cau-lai
  type: numeric-drawn
  standards: [IU01]
  prompt: Bán mận thu {thu} đồng, chi {chi} đồng. Lãi bao nhiêu đồng?
  variables:
    thu: { min: 3000000, max: 6000000, step: 100000 }
    chi: { min: 500000, max: 2000000, step: 100000 }
  answer: thu - chi
  unit: đồng
  alsoAccept:
    - unit: nghìn đồng
      factor: 1000
  explanation: GIAI-THICH-LAI lãi bằng thu trừ chi.
`

const FINAL = `draw:
  - questions: [cau-mot, cau-hai, cau-ba, cau-bon, cau-lai]
attemptsAllowed: 3
shuffle: true
`
const RIGHT = { 'cau-mot': ['b'], 'cau-hai': ['true'], 'cau-ba': ['1024'], 'cau-bon': ['mat khau'] }
const WRONG = { 'cau-mot': ['a'], 'cau-hai': ['false'], 'cau-ba': ['1'], 'cau-bon': ['mat khau'] }

beforeAll(async () => {
  t = await openSeededDatabase({ demo: false })
  setDatabase(t.db)
  await startLearningContent(db(), { 'courses/khoa-thu/questions/cuoi-khoa.yaml': QUIZ_QUESTIONS + DRAWN, 'courses/khoa-thu/final-quiz.yaml': FINAL })
  userId = (await db().user.create({ data: { email: 'hoc@review.example', fullName: 'Người Học', kind: 'CITIZEN' } })).id
})
afterAll(async () => {
  setDatabase(undefined)
  await t?.dispose()
})

async function drawOf(attemptId: string) {
  const row = await db().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
  return row.draw as unknown as Draw
}

/** The profit of the attempt's own numbers, as the server computes it from the stored seed. */
async function profitOf(attemptId: string) {
  const drawn = (await drawOf(attemptId)).questions.find((q) => q.id === 'cau-lai')!
  expect(typeof drawn.seed).toBe('number')
  const values = drawValues({ thu: { min: 3000000, max: 6000000, step: 100000 }, chi: { min: 500000, max: 2000000, step: 100000 } }, drawn.seed!)
  return { values, profit: values.thu! - values.chi! }
}

describe('a drawn numeric question', () => {
  it('shows its own numbers, never its answer, and is graded on the server with them', async () => {
    const { attemptId } = await startAttempt({ userId, courseSlug }, db())
    const { values, profit } = await profitOf(attemptId)
    const open = await getAttempt({ userId, courseSlug, attemptId }, db())
    if (open.status !== 'OPEN') throw new Error('open attempt expected')
    const shown = open.questions.find((q) => q.id === 'cau-lai')!
    expect(shown.prompt).toBe(`Bán mận thu ${new Intl.NumberFormat('vi').format(values.thu!)} đồng, chi ${new Intl.NumberFormat('vi').format(values.chi!)} đồng. Lãi bao nhiêu đồng?`)
    const page = JSON.stringify(open)
    expect(page).not.toContain('thu - chi')
    expect(page).not.toContain('GIAI-THICH')
    expect(page).not.toMatch(/"seed"/)
    for (const written of [String(profit), new Intl.NumberFormat('vi').format(profit)]) expect(page).not.toContain(`"${written}"`)

    // Written the Vietnamese way, in nghìn đồng: still right.
    await submitAttempt({ userId, courseSlug, attemptId, responses: { ...RIGHT, 'cau-lai': [`${new Intl.NumberFormat('vi').format(profit / 1000)} nghìn đồng`] } }, db())
    const answer = await db().quizAnswer.findUniqueOrThrow({ where: { attemptId_questionId: { attemptId, questionId: 'cau-lai' } } })
    expect(answer.correct).toBe(true)
    const done = await getAttempt({ userId, courseSlug, attemptId }, db())
    expect(done).toMatchObject({ status: 'SUBMITTED', attempt: { passed: true } })
  })

  it('draws numbers afresh for each attempt (seeds differ), and a wrong profit is wrong', async () => {
    const seeds = new Set<number>()
    const t2 = await db().user.create({ data: { email: 'hoc2@review.example', fullName: 'Người Học Hai', kind: 'CITIZEN' } })
    for (let i = 0; i < 3; i++) {
      const { attemptId } = await startAttempt({ userId: t2.id, courseSlug }, db())
      const drawn = (await drawOf(attemptId)).questions.find((q) => q.id === 'cau-lai')!
      seeds.add(drawn.seed!)
      const { profit } = await profitOf(attemptId)
      await submitAttempt({ userId: t2.id, courseSlug, attemptId, responses: { 'cau-lai': [String(profit + 100000)] } }, db())
      const answer = await db().quizAnswer.findUniqueOrThrow({ where: { attemptId_questionId: { attemptId, questionId: 'cau-lai' } } })
      expect(answer.correct).toBe(false)
    }
    expect(seeds.size).toBeGreaterThan(1)
  })
})

describe('the default review', () => {
  it('shows only which answers were wrong until the learner passes or runs out of attempts', async () => {
    const learner = await db().user.create({ data: { email: 'hoc3@review.example', fullName: 'Người Học Ba', kind: 'CITIZEN' } })
    const attempt = async (responses: Record<string, string[]>) => {
      const { attemptId } = await startAttempt({ userId: learner.id, courseSlug }, db())
      await submitAttempt({ userId: learner.id, courseSlug, attemptId, responses }, db())
      return getAttempt({ userId: learner.id, courseSlug, attemptId }, db())
    }
    const first = await attempt(WRONG)
    if (first.status !== 'SUBMITTED') throw new Error('submitted attempt expected')
    expect(first).toMatchObject({ reviewMode: 'verdicts', attemptsLeft: 2, attempt: { passed: false } })
    expect(first.review).toHaveLength(5)
    const byId = new Map(first.review!.map((r) => [r.question.id, r]))
    expect(byId.get('cau-mot')).toMatchObject({ verdict: 'incorrect', response: ['a'] })
    expect(byId.get('cau-bon')).toMatchObject({ verdict: 'correct' })
    for (const r of first.review!) {
      expect(r.correctAnswer).toBeUndefined()
      expect(r.explanation).toBeUndefined()
    }
    // Nothing of the key anywhere in what the page gets: not the right option, not an explanation.
    const shown = JSON.stringify(first)
    expect(shown).not.toMatch(/GIAI-THICH|Vì đó là đáp án đúng|1024|correctAnswer/)

    const second = await attempt(WRONG)
    expect(second).toMatchObject({ reviewMode: 'verdicts', attemptsLeft: 1 })
    // The last attempt used (failed again): now the answers and explanations.
    const third = await attempt(WRONG)
    if (third.status !== 'SUBMITTED') throw new Error('submitted attempt expected')
    expect(third).toMatchObject({ reviewMode: 'answers', attemptsLeft: 0 })
    expect(third.review!.find((r) => r.question.id === 'cau-ba')).toMatchObject({ verdict: 'incorrect', correctAnswer: '1.024 MB' })
    expect(JSON.stringify(third)).toContain('GIAI-THICH-BA')
  })

  it('shows the answers once the learner passes, with attempts still left', async () => {
    const learner = await db().user.create({ data: { email: 'hoc4@review.example', fullName: 'Người Học Bốn', kind: 'CITIZEN' } })
    const { attemptId } = await startAttempt({ userId: learner.id, courseSlug }, db())
    await submitAttempt({ userId: learner.id, courseSlug, attemptId, responses: RIGHT }, db())
    const view = await getAttempt({ userId: learner.id, courseSlug, attemptId }, db())
    expect(view).toMatchObject({ reviewMode: 'answers', attemptsLeft: 2, attempt: { passed: true } })
    expect(JSON.stringify(view)).toContain('GIAI-THICH-HAI')
  })
})
