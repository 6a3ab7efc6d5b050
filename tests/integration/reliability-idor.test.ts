// Reliability 4 — an IDOR sweep. Every route with an id in its address (found by reading
// app/routes: every pattern with a `:param`) is visited with the id of something that belongs to
// someone else, signed in as people of another agency (a learner, an agency manager) and, where
// the route acts, posted to: the answer is 403 or 404, the page holds none of the victim's data,
// and nothing changes. Sessions and the rest of access control: tests/integration/auth-*.test.ts
// (session cookie, expiry, sign-out everywhere, throttling, people scope) — not repeated here.
//
// TO ADD A ROUTE: add an entry to IDOR keyed by the route id (file name in app/routes without the
// extension). `owned`: path to the victim's thing (from the fixture `f`), the texts of the victim's
// that must not show, and optionally a form that would change it if the check were missing, with a
// `unchanged` probe. `public`/`secret`: why the id in this address is not somebody's (a course
// slug is public content; a reset token is itself the credential) — say it in `why`.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { setContentStore } from '~/modules/content/service.server'
import { saveAnswers, startAttempt } from '~/modules/quiz/attempt.server'
import { startLearningContent } from '../setup/learning-fixture'
import { missingEntries, routeModules } from '../setup/routes'
import { Browser, startTestServer, type TestServer } from '../setup/test-server'

interface Fixture {
  victimId: string
  victimName: string
  victimAttemptId: string
}

type Attacker = 'otherLearner' | 'otherManager' | 'teacher'
/** Who may see the thing: their GET must show the secrets, so the check above has teeth. */
type Rightful = 'victim' | 'victimManager'

type IdorEntry =
  | {
      kind: 'owned'
      path: (f: Fixture) => string
      /** Texts of the victim's that must not appear in the answer. */
      secrets: (f: Fixture) => string[]
      attackers: Attacker[]
      rightful: Rightful
      post?: Record<string, string>
      /** After the posts: what must still hold (returns problems). */
      unchanged?: (t: TestServer, f: Fixture) => Promise<string[]>
    }
  | { kind: 'public' | 'secret'; why: string }

export const IDOR: Record<string, IdorEntry> = {
  'admin.users.$userId': {
    kind: 'owned',
    path: (f) => `/admin/users/${f.victimId}`,
    secrets: (f) => [f.victimName, 'hocvien@banso.example'],
    attackers: ['otherLearner', 'otherManager', 'teacher'],
    rightful: 'victimManager',
    post: { intent: 'reset' },
    unchanged: async (t, f) => {
      const tokens = await t.t.db.prisma.passwordResetToken.count({ where: { userId: f.victimId } })
      return tokens === 0 ? [] : [`${tokens} reset links were made for the victim`]
    },
  },
  'courses.$course.quiz.$attempt': {
    kind: 'owned',
    path: (f) => `/courses/khoa-thu/quiz/${f.victimAttemptId}`,
    secrets: (f) => [f.victimName, SAVED_ANSWER],
    attackers: ['otherLearner', 'otherManager', 'teacher'],
    rightful: 'victim',
    post: { intent: 'submit', 'q.cau-hai': 'true' },
    unchanged: async (t, f) => {
      const attempt = await t.t.db.prisma.quizAttempt.findUniqueOrThrow({ where: { id: f.victimAttemptId }, include: { answers: true } })
      return attempt.status === 'OPEN' && attempt.answers.length === 1 ? [] : [`the victim's attempt changed: ${attempt.status}, ${attempt.answers.length} answers`]
    },
  },
  'courses.$course._index': { kind: 'public', why: 'a course slug names public content; progress shown is always the signed-in person’s own' },
  'courses.$course.$lesson': { kind: 'public', why: 'course and lesson slugs name public content; "done" marks are the signed-in person’s own' },
  'courses.$course.quiz._index': { kind: 'public', why: 'the course slug is public; the page lists only the signed-in person’s own attempts' },
  'reset-password.$token': { kind: 'secret', why: 'the token is the credential itself (only its hash is stored); tests/integration/auth-flow.test.ts covers used, expired and unknown links' },
}

let server: TestServer
const dirs: string[] = []
const fixture = {} as Fixture
const attackers = {} as Record<Attacker, Browser>
const rightful = {} as Record<Rightful, Browser>
const PASSWORD = 'Ke-tan-cong-2026!'
const SAVED_ANSWER = 'cau tra loi bi mat cua hoc vien'

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
  const prisma = server.t.db.prisma
  const victim = await prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
  fixture.victimId = victim.id
  fixture.victimName = victim.fullName
  fixture.victimAttemptId = (await startAttempt({ userId: victim.id, courseSlug: 'khoa-thu' }, prisma)).attemptId
  // A saved answer of the victim's: what an IDOR would show (the attempt's id is in the address anyway).
  await saveAnswers({ userId: victim.id, courseSlug: 'khoa-thu', attemptId: fixture.victimAttemptId, responses: { 'cau-bon': [SAVED_ANSWER] } }, prisma)
  // People of another agency: a learner, and the manager of that agency.
  const other = await prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null }, id: { not: victim.agencyId! } }, orderBy: { code: 'desc' } })
  const passwordHash = await hashPassword(PASSWORD)
  for (const [email, fullName, role] of [
    ['hoc-vien-khac@idor.example', 'Người học đơn vị khác', null],
    ['quan-ly-khac@idor.example', 'Quản lý đơn vị khác', 'AGENCY_MANAGER'],
  ] as const) {
    const user = await prisma.user.create({ data: { email, fullName, kind: 'CIVIL_SERVANT', agencyId: other.id, passwordHash, ...userKeys({ fullName, email }) } })
    if (role) await prisma.roleGrant.create({ data: { userId: user.id, role, agencyId: other.id } })
  }
  const signIn = async (email: string, password: string) => {
    const browser = new Browser(server.base)
    expect((await browser.signIn(email, password)).status).toBe(303)
    return browser
  }
  attackers.otherLearner = await signIn('hoc-vien-khac@idor.example', PASSWORD)
  attackers.otherManager = await signIn('quan-ly-khac@idor.example', PASSWORD)
  attackers.teacher = await signIn('giaovien@banso.example', 'GiaoVien@2026')
  rightful.victim = await signIn('hocvien@banso.example', 'HocVien@2026')
  rightful.victimManager = await signIn('quanly@banso.example', 'QuanLy@2026')
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const withIds = routeModules().filter((r) => r.params.length > 0)

describe('IDOR sweep over every route with an id in its address', () => {
  it('knows every such route (found in app/routes)', () => {
    expect(withIds.length).toBeGreaterThanOrEqual(6)
    expect(missingEntries(withIds, IDOR, 'IDOR (tests/integration/reliability-idor.test.ts)')).toEqual([])
    expect(Object.keys(IDOR).filter((id) => !withIds.some((r) => r.id === id)), 'entries for routes that are gone').toEqual([])
  })

  for (const route of withIds) {
    const entry = IDOR[route.id]
    if (entry && entry.kind !== 'owned') {
      it(`${route.id}: not an owned id — ${entry.why}`, () => expect(entry.why.length).toBeGreaterThan(20))
      continue
    }
    it.skipIf(!entry)(`${route.id}: someone of another agency gets 403/404, never the data, and changes nothing`, async () => {
      const owned = entry as Extract<IdorEntry, { kind: 'owned' }>
      const path = owned.path(fixture)
      const problems: string[] = []
      const own = await rightful[owned.rightful].get(path)
      const ownBody = await own.text()
      expect(own.status, `${owned.rightful} must see ${path}`).toBe(200)
      for (const secret of owned.secrets(fixture)) expect(ownBody, `${owned.rightful}'s own page must show the marker`).toContain(secret)
      for (const who of owned.attackers) {
        const responses: Array<[string, Response]> = [['GET', await attackers[who].get(path)]]
        if (owned.post && route.hasAction) responses.push(['POST', await attackers[who].post(path, owned.post)])
        for (const [method, response] of responses) {
          const body = await response.text()
          if (response.status !== 403 && response.status !== 404) problems.push(`${who} ${method} ${path}: HTTP ${response.status}`)
          for (const secret of owned.secrets(fixture)) if (body.includes(secret)) problems.push(`${who} ${method} ${path}: the page shows "${secret}"`)
        }
      }
      if (owned.unchanged) problems.push(...(await owned.unchanged(server, fixture)))
      expect(problems).toEqual([])
    })
  }
})
