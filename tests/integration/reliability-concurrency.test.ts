// Reliability 3 — races, through the real HTTP stack, many requests at once. Already covered in
// tests/integration/learning.test.ts: one person's double enrol (3 posts), 5 concurrent starts,
// concurrent submissions of one attempt. Added here: many people enrolling at once, starts racing
// at the attempts limit, saves racing a submission, lesson marks racing, two sign-ups of one
// address. Certificate issue (issue 7) and roster imports (issue 8) are raced on their branches.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { setContentStore } from '~/modules/content/service.server'
import { RIGHT, startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
const COURSE = '/courses/khoa-thu'
const PASSWORD = 'Chay-dua-2026!'
const LEARNERS = 10

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
  const prisma = server.t.db.prisma
  const passwordHash = await hashPassword(PASSWORD)
  const agency = await prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null } } })
  for (let i = 0; i < LEARNERS; i++) {
    const email = `chay-dua-${i}@race.example`
    const fullName = `Học viên chạy đua ${i}`
    await prisma.user.create({ data: { email, fullName, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash, ...userKeys({ fullName, email }) } })
  }
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const db = () => server.t.db.prisma

async function learner(i: number): Promise<Browser> {
  const browser = new Browser(server.base)
  expect((await browser.signIn(`chay-dua-${i}@race.example`, PASSWORD)).status).toBe(303)
  return browser
}

async function userId(i: number) {
  return (await db().user.findUniqueOrThrow({ where: { email: `chay-dua-${i}@race.example` } })).id
}

describe('races', () => {
  it('ten people enrolling at once, each posting five times: one enrolment each, never an error', async () => {
    const browsers = await Promise.all(Array.from({ length: LEARNERS }, (_, i) => learner(i)))
    const responses = await Promise.all(browsers.flatMap((b) => Array.from({ length: 5 }, () => b.post(COURSE, { intent: 'enrol' }))))
    expect(responses.map((r) => r.status).filter((s) => s !== 302)).toEqual([])
    const ids = await Promise.all(Array.from({ length: LEARNERS }, (_, i) => userId(i)))
    const enrolments = await db().enrolment.groupBy({ by: ['userId'], where: { userId: { in: ids } }, _count: true })
    expect(enrolments).toHaveLength(LEARNERS)
    for (const e of enrolments) expect(e._count).toBe(1)
  })

  it('starts racing at the attempts limit: the last attempt opens once, then every start is refused', async () => {
    const browser = await learner(0)
    const id = await userId(0)
    // Use two of the three attempts.
    for (let n = 0; n < 2; n++) {
      const start = await browser.post(`${COURSE}/quiz`, {})
      expect((await browser.post(start.headers.get('location')!, { intent: 'submit' })).status).toBe(302)
    }
    const racing = await Promise.all(Array.from({ length: 8 }, () => browser.post(`${COURSE}/quiz`, {})))
    expect(racing.map((r) => r.status).filter((s) => s !== 302)).toEqual([])
    expect(new Set(racing.map((r) => r.headers.get('location'))).size).toBe(1)
    expect(await db().quizAttempt.count({ where: { userId: id } })).toBe(3)
    expect((await browser.post(racing[0]!.headers.get('location')!, { intent: 'submit' })).status).toBe(302)
    const refused = await Promise.all(Array.from({ length: 8 }, () => browser.post(`${COURSE}/quiz`, {})))
    for (const r of refused) {
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
    }
    expect(await db().quizAttempt.count({ where: { userId: id } })).toBe(3)
  })

  it('saves racing a submission: graded once and whole, later saves refused, never a 5xx', async () => {
    const browser = await learner(1)
    const start = await browser.post(`${COURSE}/quiz`, {})
    const path = start.headers.get('location')!
    const posts = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? browser.post(path, { ...RIGHT, intent: 'submit' }) : browser.post(path, { 'q.cau-bon': `lan ${i}`, intent: 'save' }),
    )
    const responses = await Promise.all(posts)
    for (const r of responses) expect([302, 409]).toContain(r.status)
    const attempt = await db().quizAttempt.findUniqueOrThrow({ where: { id: path.split('/').pop() }, include: { answers: true } })
    expect(attempt.status).toBe('SUBMITTED')
    const drawn = (attempt.draw as { questions: unknown[] }).questions.length
    expect(attempt.answers).toHaveLength(drawn)
    for (const a of attempt.answers) expect(a.correct).not.toBeNull()
    expect(attempt.scorePercent).not.toBeNull()
    // A save after the submission changes nothing.
    const late = await browser.post(path, { 'q.cau-bon': 'qua muon', intent: 'save' })
    expect(late.status).toBe(409)
    const again = await db().quizAnswer.findMany({ where: { attemptId: attempt.id } })
    expect(again.map((a) => JSON.stringify(a.response)).sort()).toEqual(attempt.answers.map((a) => JSON.stringify(a.response)).sort())
  })

  it('lesson marks racing: done ten times at once is one mark; done and undo interleaved never fail', async () => {
    const browser = await learner(2)
    const id = await userId(2)
    const done = await Promise.all(Array.from({ length: 10 }, () => browser.post(`${COURSE}/bai-mot`, { intent: 'done' })))
    expect(done.map((r) => r.status).filter((s) => s !== 302)).toEqual([])
    expect(await db().lessonProgress.count({ where: { enrolment: { userId: id } } })).toBe(1)
    const mixed = await Promise.all(Array.from({ length: 10 }, (_, i) => browser.post(`${COURSE}/bai-mot`, { intent: i % 2 ? 'undo' : 'done' })))
    expect(mixed.map((r) => r.status).filter((s) => s !== 302)).toEqual([])
    expect(await db().lessonProgress.count({ where: { enrolment: { userId: id } } })).toBeLessThanOrEqual(1)
  })

  it('two sign-ups of one address at once: one account, the other told plainly', async () => {
    const form = { fullName: 'Vàng Thị Dua', identifier: 'dua.cung.luc@example.com', password: 'Mat-khau-chay-dua-2026', passwordConfirm: 'Mat-khau-chay-dua-2026', kind: 'CITIZEN', agencyId: '', jobTitle: '' }
    const responses = await Promise.all(Array.from({ length: 5 }, () => new Browser(server.base).post('/signup', form)))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 303)).toHaveLength(1)
    expect(statuses.filter((s) => s !== 303 && s !== 400)).toEqual([])
    expect(await db().user.count({ where: { email: 'dua.cung.luc@example.com' } })).toBe(1)
  })
})
