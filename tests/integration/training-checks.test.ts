// In-person training, the rest of issue 19 (docs/decisions/023), on the database of this run
// (PostgreSQL with DATABASE_URL, else PGlite; in the embedded project too): a session's topic can be
// chosen lessons of one course; the optional end-of-session check records one score per attendee,
// all or nothing; citizens are counted by gender and ethnicity once each; the report's agency-type
// filter narrows the training figures; a periodic report freezes the period's training figures of
// the agency's subtree, and the level above sums what its children submitted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeFigures } from '~/modules/periods/figures.server'
import { getPeriod, openPeriod } from '~/modules/periods/period.server'
import { submitReport } from '~/modules/periods/workflow.server'
import type { Actor } from '~/modules/scope/scope.server'
import { recordScores, setCheck } from '~/modules/training/check.server'
import { trainingReport } from '~/modules/training/report.server'
import { CheckSettingsSchema, CitizenSchema, ScoresSchema, SessionSchema } from '~/modules/training/schema'
import { addCitizen, createSession, trainingFigures } from '~/modules/training/service.server'
import { buildReportFixture, type ReportFixture } from '../setup/report-fixture'
import { refusedWith } from '../setup/refused'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
const db = () => t.db.prisma
const actors = {} as Record<'admin' | 'x1' | 'x3', Actor>


const sessionInput = (agencyId: string, startsOn: string, extra: Record<string, unknown> = {}) => ({
  agencyId,
  startsOn,
  endsOn: startsOn,
  commune: 'Xã Một',
  village: 'Thôn Trên',
  trainers: 'Tổ công nghệ số cộng đồng',
  courseSlug: '',
  topic: 'Dùng VNeID',
  minutes: '90',
  ...extra,
})
const sessionForm = (agencyId: string, startsOn: string, extra: Record<string, unknown> = {}) => SessionSchema.parse(sessionInput(agencyId, startsOn, extra))
const citizen = (fullName: string, birthYear: string, village: string, gender = '', ethnicity = '') => CitizenSchema.parse({ fullName, birthYear, village, phone: '', gender, ethnicity })
const Q4 = { from: new Date('2026-09-30T17:00:00Z'), to: new Date('2026-12-31T17:00:00Z') }

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db())
  actors.admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  actors.x1 = { id: f.managerX1, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X1 }] }
  actors.x3 = { id: f.managerX3, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X3 }] }
  // Lessons of the fixture's course C1 (slug c-mot), one retired.
  for (const [position, slug, title, retired] of [
    [1, 'bai-mot', 'Bài Một', false],
    [2, 'bai-hai', 'Bài Hai', false],
    [3, 'bai-cu', 'Bài Cũ', true],
  ] as const)
    await db().lesson.create({ data: { courseId: f.courses.C1, slug, position, title, summary: '', minutes: 10, standardCodes: [], contentHash: slug, retiredAt: retired ? new Date() : null } })
})
afterAll(async () => {
  await t?.dispose()
})

describe('a topic of chosen lessons', () => {
  it('chosen lessons imply their course and name the topic; lessons of two courses, another course, a retired or unknown lesson are refused', async () => {
    const s = await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-11-03', { topic: '', lessons: ['c-mot/bai-hai', 'c-mot/bai-mot'] }) })
    expect(s.courseSlug).toBe('c-mot')
    expect(s.lessonSlugs).toEqual(['bai-mot', 'bai-hai'])
    expect(s.topic).toBe('Khoá Một: Bài Một; Bài Hai')
    const issues = (input: Record<string, unknown>) => {
      const r = SessionSchema.safeParse(sessionInput(f.agencies.X1, '2026-11-03', input))
      return r.success ? [] : r.error.issues.map((i) => i.message)
    }
    expect(issues({ lessons: ['c-mot/bai-mot', 'c-hai/bai-mot'] })).toEqual(['lessonsOneCourse'])
    expect(issues({ courseSlug: 'c-hai', lessons: ['c-mot/bai-mot'] })).toEqual(['lessonsOneCourse'])
    expect(issues({ lessons: ['../etc/passwd'] })).toEqual(['lessonUnknown'])
    expect(issues({ topic: '', lessons: [] })).toEqual(['topicRequired'])
    const before = await db().trainingSession.count()
    await refusedWith(createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-11-03', { lessons: ['c-mot/bai-cu'] }) }), 'BAD_INPUT', 'lessonUnknown')
    await refusedWith(createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-11-03', { lessons: ['c-mot/khong-co'] }) }), 'BAD_INPUT', 'lessonUnknown')
    expect(await db().trainingSession.count()).toBe(before)
    // The database holds it too: lessons without a course.
    await expect(db().$executeRawUnsafe(`UPDATE training_session SET course_slug = NULL WHERE id = '${s.id}'`)).rejects.toThrow()
    // The report groups a session of lessons under its course.
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s.id, form: citizen('Vàng Thị Học', '1999', 'Thôn Trên') })
    const figures = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q4 })
    expect(figures.byTopic.map((x) => x.topic)).toContain('Khoá Một')
  })
})

describe('the end-of-session check', () => {
  let sessionId = ''
  const ids: Record<string, string> = {}

  it('the forms refuse half a check or a pass score above the highest', () => {
    const msg = (input: Record<string, unknown>) => {
      const r = CheckSettingsSchema.safeParse(input)
      return r.success ? [] : r.error.issues.map((i) => i.message)
    }
    expect(msg({ checkMaxScore: '10', checkPassScore: '' })).toEqual(['checkBoth'])
    expect(msg({ checkMaxScore: '10', checkPassScore: '11' })).toEqual(['checkPassRange'])
    expect(msg({ checkMaxScore: '0', checkPassScore: '0' })).toEqual(['checkMaxRange'])
    expect(msg({ checkMaxScore: 'mười', checkPassScore: '5' })).toEqual(['checkMaxRange'])
    expect(msg({ checkMaxScore: '', checkPassScore: '' })).toEqual([])
    const scores = ScoresSchema.safeParse({ 'score-00000000-0000-4000-8000-000000000001': '7', 'score-00000000-0000-4000-8000-000000000002': '-1', intent: 'record-scores' })
    expect(scores.success ? [] : scores.error.issues.map((i) => [i.path[0], i.message])).toEqual([['score-00000000-0000-4000-8000-000000000002', 'scoreRange']])
  })

  it('records one score per attendee, all or nothing, and counts who passed once per person', async () => {
    sessionId = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-11-10', { checkMaxScore: '10', checkPassScore: '5' }) })).id
    const other = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-11-11') })).id
    for (const [name, year] of [
      ['Lò Văn Một', '1980'],
      ['Lò Văn Hai', '1981'],
      ['Lò Văn Ba', '1982'],
    ] as const)
      ids[name] = (await addCitizen({ db: db(), actor: actors.x1, sessionId, form: citizen(name, year, 'Thôn Trên') })).id
    const stranger = (await addCitizen({ db: db(), actor: actors.x1, sessionId: other, form: citizen('Người Khác', '1990', 'Thôn Dưới') })).id
    const score = (id: string, s: number | null) => ({ attendeeId: id, score: s })
    // A score above the highest, or an attendee of another session: nothing is written.
    await refusedWith(recordScores({ db: db(), actor: actors.x1, sessionId, scores: [score(ids['Lò Văn Một']!, 8), score(ids['Lò Văn Hai']!, 11)] }), 'BAD_INPUT', 'scoreRange')
    await refusedWith(recordScores({ db: db(), actor: actors.x1, sessionId, scores: [score(ids['Lò Văn Một']!, 8), score(stranger, 3)] }), 'NOT_FOUND', 'training.attendeeNotFound')
    expect(await db().trainingAttendee.count({ where: { checkScore: { not: null } } })).toBe(0)
    // Another subtree cannot record; a session without a check refuses scores.
    await refusedWith(recordScores({ db: db(), actor: actors.x3, sessionId, scores: [score(ids['Lò Văn Một']!, 8)] }), 'NOT_FOUND', 'training.notFound')
    await refusedWith(recordScores({ db: db(), actor: actors.x1, sessionId: other, scores: [score(stranger, 3)] }), 'BAD_INPUT', 'noCheck')

    expect(await recordScores({ db: db(), actor: actors.x1, sessionId, scores: [score(ids['Lò Văn Một']!, 8), score(ids['Lò Văn Hai']!, 4), score(ids['Lò Văn Ba']!, null)] })).toBe(2)
    const rows = await db().trainingAttendee.findMany({ where: { sessionId }, select: { fullName: true, checkScore: true, checkedAt: true } })
    expect(Object.fromEntries(rows.map((r) => [r.fullName, [r.checkScore, r.checkedAt !== null]]))).toEqual({ 'Lò Văn Một': [8, true], 'Lò Văn Hai': [4, true], 'Lò Văn Ba': [null, false] })
    let figures = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q4 })
    expect([figures.checked, figures.passed]).toEqual([2, 1])

    // The same citizen failing once and passing at a later session counts once, as passed.
    const later = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-12-01', { checkMaxScore: '20', checkPassScore: '10' }) })).id
    const again = (await addCitizen({ db: db(), actor: actors.x1, sessionId: later, form: citizen('lo van hai', '1981', 'thon tren') })).id
    await recordScores({ db: db(), actor: actors.x1, sessionId: later, scores: [score(again, 15)] })
    figures = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q4 })
    expect([figures.checked, figures.passed]).toEqual([2, 2])

    // Clearing a score, then lowering the highest score below a recorded one, or removing the check with scores: refused.
    await recordScores({ db: db(), actor: actors.x1, sessionId, scores: [score(ids['Lò Văn Hai']!, null)] })
    await refusedWith(setCheck({ db: db(), actor: actors.x1, sessionId, settings: { checkMaxScore: 7, checkPassScore: 4 } }), 'BAD_INPUT', 'scoresAboveMax')
    await refusedWith(setCheck({ db: db(), actor: actors.x1, sessionId, settings: { checkMaxScore: null, checkPassScore: null } }), 'BAD_INPUT', 'checkHasScores')
    expect((await db().trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).checkMaxScore).toBe(10)
    await setCheck({ db: db(), actor: actors.x1, sessionId: other, settings: { checkMaxScore: 5, checkPassScore: 3 } })
    expect((await db().trainingSession.findUniqueOrThrow({ where: { id: other } })).checkPassScore).toBe(3)
    // The database refuses a half-set check.
    await expect(db().$executeRawUnsafe(`UPDATE training_session SET check_pass_score = NULL WHERE id = '${sessionId}'`)).rejects.toThrow()
  })
})

describe('citizens by gender and ethnicity, the agency-type filter', () => {
  it('counts each citizen once, by what their first session recorded, unrecorded last', async () => {
    const s1 = (await createSession({ db: db(), actor: actors.x3, form: sessionForm(f.agencies.X3, '2026-10-05', { commune: 'Xã Ba' }) })).id
    const s2 = (await createSession({ db: db(), actor: actors.x3, form: sessionForm(f.agencies.X3, '2026-10-20', { commune: 'Xã Ba' }) })).id
    await addCitizen({ db: db(), actor: actors.x3, sessionId: s1, form: citizen('Sùng Thị Mỷ', '1995', 'Thôn Ba', 'Nữ', 'Mông') })
    await addCitizen({ db: db(), actor: actors.x3, sessionId: s2, form: citizen('Sùng Thị Mỷ', '1995', 'Thôn Ba', 'Nữ', 'H’Mông') })
    await addCitizen({ db: db(), actor: actors.x3, sessionId: s2, form: citizen('Hoàng Văn Tày', '1970', 'Thôn Ba', 'Nam', 'Tày') })
    await addCitizen({ db: db(), actor: actors.x3, sessionId: s2, form: citizen('Giàng A Chư', '2000', 'Thôn Ba') })
    const figures = await trainingFigures({ db: db(), agencyIds: [f.agencies.X3], ...Q4 })
    expect(figures.citizens).toBe(3)
    expect(figures.byGender).toEqual([
      { label: 'Nam', citizens: 1 },
      { label: 'Nữ', citizens: 1 },
      { label: '', citizens: 1 },
    ])
    expect(figures.byEthnicity).toEqual([
      { label: 'Mông', citizens: 1 },
      { label: 'Tày', citizens: 1 },
      { label: '', citizens: 1 },
    ])
    expect(figures.sessions).toBe(2)
  })

  it('the report filtered by agency type counts only sessions organised, and completions of learners, in agencies of that type', async () => {
    const school = (await createSession({ db: db(), actor: actors.admin, form: sessionForm(f.agencies.S1, '2026-10-15', { commune: 'Xã Một' }) })).id
    await addCitizen({ db: db(), actor: actors.admin, sessionId: school, form: citizen('Phụ Huynh Một', '1985', 'Thôn Trường') })
    const all = await trainingReport(db(), actors.admin, { from: '2026-10-01', to: '2026-12-31' })
    const schools = await trainingReport(db(), actors.admin, { from: '2026-10-01', to: '2026-12-31', type: 'SCHOOL' })
    const communes = await trainingReport(db(), actors.admin, { from: '2026-10-01', to: '2026-12-31', type: 'COMMUNE' })
    expect(schools.sessions).toBe(1)
    expect(schools.citizens).toBe(1)
    // Online: the completions in the period of learners whose agency is a school.
    const online = await db().$queryRaw<{ n: number }[]>`
      SELECT count(DISTINCT e.user_id)::int AS n FROM course_completion cc JOIN enrolment e ON e.id = cc.enrolment_id JOIN app_user u ON u.id = e.user_id JOIN agency a ON a.id = u.agency_id
      WHERE a.type = 'SCHOOL' AND cc.completed_at >= '2026-09-30T17:00:00Z' AND cc.completed_at < '2026-12-31T17:00:00Z'`
    expect(schools.staffOnline).toBe(online[0]!.n)
    expect(communes.staffOnline + schools.staffOnline).toBeLessThanOrEqual(all.staffOnline)
    expect(communes.sessions + schools.sessions).toBe(all.sessions)
    expect(communes.citizens + schools.citizens).toBe(all.citizens)
    // X1's manager filtered by school sees the school below X1; X3's manager sees none of it.
    expect((await trainingReport(db(), actors.x1, { from: '2026-10-01', to: '2026-12-31', type: 'SCHOOL' })).citizens).toBe(1)
    expect((await trainingReport(db(), actors.x3, { from: '2026-10-01', to: '2026-12-31', type: 'SCHOOL' })).citizens).toBe(0)
  })
})

describe('training in the periodic reports', () => {
  it('the draft and the frozen snapshot hold the period’s training of the subtree; the province sums what its communes submitted', async () => {
    // A session just outside Q4 (30 September) is not counted; one on 31 December is.
    const outside = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-09-30') })).id
    await addCitizen({ db: db(), actor: actors.x1, sessionId: outside, form: citizen('Ngoài Kỳ', '1960', 'Thôn Trên') })
    const lastDay = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-12-31') })).id
    await addCitizen({ db: db(), actor: actors.x1, sessionId: lastDay, form: citizen('Cuối Kỳ', '1961', 'Thôn Trên') })

    const opened = await openPeriod(db(), actors.admin, { kind: 'QUARTER', year: 2026, number: 4, dueOn: '2099-01-10', agencyTypes: ['COMMUNE', 'PROVINCE'], subtreeRootId: f.agencies.P })
    const period = await getPeriod(db(), opened.id)
    const expectedX1 = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1, f.agencies.S1], from: new Date('2026-09-30T17:00:00Z'), to: new Date('2026-12-31T17:00:00Z') })
    const draft = await computeFigures(db(), period, f.agencies.X1)
    expect(draft.training).toEqual(expectedX1)
    expect(draft.training!.citizens).toBeGreaterThan(0)
    const x1People = await db().trainingAttendee.findMany({ where: { session: { agencyId: { in: [f.agencies.X1, f.agencies.S1] } } }, select: { fullName: true } })
    expect(x1People.map((p) => p.fullName)).toContain('Ngoài Kỳ') // recorded, but outside the period:
    const withOutside = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1, f.agencies.S1], from: new Date('2026-09-29T17:00:00Z'), to: new Date('2026-12-31T17:00:00Z') })
    expect(withOutside.citizens).toBe(draft.training!.citizens + 1)

    const x1 = await submitReport(db(), actors.x1, { periodId: opened.id, agencyId: f.agencies.X1, narrative: '' })
    await submitReport(db(), actors.x3, { periodId: opened.id, agencyId: f.agencies.X3, narrative: '' })
    const frozen = (await db().reportSnapshot.findUniqueOrThrow({ where: { id: x1.id } })).figures as unknown as { training: typeof expectedX1 }
    expect(frozen.training).toEqual(expectedX1)
    // Training recorded after submitting does not change the frozen snapshot.
    await addCitizen({ db: db(), actor: actors.x1, sessionId: lastDay, form: citizen('Sau Khi Gửi', '1962', 'Thôn Trên') })
    expect(((await db().reportSnapshot.findUniqueOrThrow({ where: { id: x1.id } })).figures as unknown as { training: typeof expectedX1 }).training.citizens).toBe(expectedX1.citizens)

    const province = await computeFigures(db(), period, f.agencies.P)
    const x3Frozen = (await db().reportSnapshot.findFirstOrThrow({ where: { report: { agencyId: f.agencies.X3, periodId: opened.id } } })).figures as unknown as { training: typeof expectedX1 }
    expect(province.consolidated.training).toEqual({
      sessions: expectedX1.sessions + x3Frozen.training.sessions,
      staffInPerson: expectedX1.staffInPerson + x3Frozen.training.staffInPerson,
      staffOnline: expectedX1.staffOnline + x3Frozen.training.staffOnline,
      staffTogether: expectedX1.staffTogether + x3Frozen.training.staffTogether,
      citizens: expectedX1.citizens + x3Frozen.training.citizens,
    })
    // The province's own figures cover its whole subtree, live (including the citizen added after X1 submitted).
    expect(province.training!.citizens).toBe(expectedX1.citizens + 1 + x3Frozen.training.citizens)
    // Children's lines in the snapshot do not repeat the children's training (it is in the sum).
    expect(province.children.every((c) => !('training' in c))).toBe(true)
  })
})
