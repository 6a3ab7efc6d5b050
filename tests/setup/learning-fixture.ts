// The fixture course (tests/setup/content-fixture.ts) with a question bank of several types and a
// final quiz of four fixed questions (25 % each, pass mark 70 %), for the learning tests.
import path from 'node:path'
import type { PrismaClient } from '@prisma/client'
import { startContent } from '~/modules/content/service.server'
import { tempContentDir, writeContentFixture } from './content-fixture'

export const QUIZ_QUESTIONS = `- id: cau-hai
  type: true-false
  standards: [IU01]
  prompt: Mật khẩu mạnh nên dài ít nhất 12 ký tự?
  answer: true
  explanation: GIAI-THICH-HAI mật khẩu dài khó đoán hơn.
- id: cau-ba
  type: numeric
  standards: [IU01]
  prompt: Một GB bằng bao nhiêu MB (cách tính của máy tính)?
  answer: 1024
  unit: MB
  explanation: GIAI-THICH-BA theo cách tính nhị phân.
- id: cau-bon
  type: short-text
  standards: [IU06]
  prompt: Gõ từ “mật khẩu”.
  accept: [mật khẩu]
  ignoreAccents: true
  explanation: GIAI-THICH-BON gõ đúng chính tả.
`

export const FINAL_QUIZ = `draw:
  - questions: [cau-mot, cau-hai, cau-ba, cau-bon]
timeLimitMinutes: 10
attemptsAllowed: 3
showAnswers: after-each-attempt
shuffle: true
`

/** Right answers of the fixture quiz, as form fields. */
export const RIGHT = { 'q.cau-mot': 'b', 'q.cau-hai': 'true', 'q.cau-ba': '1024', 'q.cau-bon': 'mat khau' }

export const EXPLANATION_MARKERS = ['Vì đó là đáp án đúng', 'GIAI-THICH-HAI', 'GIAI-THICH-BA', 'GIAI-THICH-BON']

export function writeLearningFixture(changes: Record<string, string | null> = {}): string {
  return writeContentFixture({
    'courses/khoa-thu/questions/cuoi-khoa.yaml': QUIZ_QUESTIONS,
    'courses/khoa-thu/final-quiz.yaml': FINAL_QUIZ,
    ...changes,
  })
}

/** Validates, compiles and mirrors the fixture into the database, and makes it the process's content. */
export async function startLearningContent(prisma: PrismaClient, changes: Record<string, string | null> = {}) {
  const contentDir = writeLearningFixture(changes)
  const cacheDir = tempContentDir()
  await startContent({ prisma, log: () => undefined, config: { contentDir, cacheDir, mediaDir: path.join(cacheDir, 'media') } })
  return { contentDir, cacheDir }
}
