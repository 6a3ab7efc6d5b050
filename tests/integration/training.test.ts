// In-person training (issue 19, docs/decisions/023), on the database of this run (PostgreSQL with
// DATABASE_URL, else PGlite; run in both modes): a session is created only in the actor's subtree,
// another subtree's session answers 404 for read and write (IDOR), the same citizen met twice in a
// period (name, year and village folded) is counted once, again in the next period, a roster record
// linked to an account that also completed online counts once "together", and the database refuses
// rows the forms would refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '~/modules/scope/scope.server'
import { staffKeys } from '~/modules/roster/keys'
import { periodBounds } from '~/modules/report/schema'
import { CitizenSchema, SessionSchema } from '~/modules/training/schema'
import { addAccount, addCitizen, addStaff, createSession, requireSession, trainingFigures, trainingPeople, trainingPeopleTotals } from '~/modules/training/service.server'
import { buildReportFixture, type ReportFixture } from '../setup/report-fixture'
import { refusedWith } from '../setup/refused'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
const db = () => t.db.prisma
const actors = {} as Record<'admin' | 'x1' | 'x3', Actor>


const sessionForm = (agencyId: string, startsOn: string, extra: Record<string, string> = {}) =>
  SessionSchema.parse({ agencyId, startsOn, endsOn: startsOn, commune: 'Xã Bắc Hà', village: 'Thôn Nậm Sài', trainers: 'Tổ công nghệ số cộng đồng', courseSlug: '', topic: 'Dùng VNeID', minutes: '90', ...extra })
const citizen = (fullName: string, birthYear: string, village: string) => CitizenSchema.parse({ fullName, birthYear, village, phone: '', gender: '', ethnicity: '' })

const Q1 = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') }
const Q2 = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') }

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db())
  actors.admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  actors.x1 = { id: f.managerX1, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X1 }] }
  actors.x3 = { id: f.managerX3, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X3 }] }
})
afterAll(async () => {
  await t?.dispose()
})

describe('training sessions', () => {
  let s1 = ''
  let s2 = ''

  it('the forms refuse what cannot be stored, with keys of training.errors', () => {
    const bad = SessionSchema.safeParse({ agencyId: f.agencies.X1, startsOn: '2026-02-10', endsOn: '2026-02-09', commune: ' ', village: '', trainers: '', courseSlug: '', topic: '', minutes: '0' })
    expect(bad.success).toBe(false)
    const messages = bad.success ? [] : bad.error.issues.map((i) => i.message).sort()
    expect(messages).toEqual(['communeRequired', 'datesOrder', 'minutesRange', 'topicRequired'])
    const order = SessionSchema.safeParse({ agencyId: f.agencies.X1, startsOn: '2026-02-10', endsOn: '2026-02-09', commune: 'Xã A', topic: 'T', minutes: '60' })
    expect(order.success ? [] : order.error.issues.map((i) => i.message)).toEqual(['datesOrder'])
    const c = CitizenSchema.safeParse({ fullName: 'Lò\u0000Thị Mai', birthYear: '1890', village: '', phone: 'abc' })
    expect(c.success ? [] : c.error.issues.map((i) => i.message).sort()).toEqual(['birthYearRange', 'phoneInvalid', 'villageRequired'])
    expect(citizen('Lò\u0000Thị   Mai', '1990', 'Thôn Nậm Sài').fullName).toBe('Lò Thị Mai')
  })

  it('is created only in the actor subtree; another subtree gets 404 for read and write', async () => {
    s1 = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-02-10') })).id
    s2 = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-03-05', { village: 'Thôn Na Hối', topic: 'Thanh toán không dùng tiền mặt' }) })).id
    await refusedWith(createSession({ db: db(), actor: actors.x3, form: sessionForm(f.agencies.X1, '2026-02-10') }), 'NOT_FOUND', 'agency.notInScope')
    await refusedWith(requireSession({ db: db(), actor: actors.x3, sessionId: s1 }), 'NOT_FOUND', 'training.notFound')
    await refusedWith(addCitizen({ db: db(), actor: actors.x3, sessionId: s1, form: citizen('Giàng A Sử', '1985', 'Thôn Nậm Sài') }), 'NOT_FOUND', 'training.notFound')
    await refusedWith(requireSession({ db: db(), actor: actors.x1, sessionId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND', 'training.notFound')
    await refusedWith(requireSession({ db: db(), actor: actors.x1, sessionId: 'not-a-uuid' }), 'NOT_FOUND', 'training.notFound')
    expect(await db().trainingAttendee.count()).toBe(0)
    expect((await requireSession({ db: db(), actor: actors.admin, sessionId: s1 })).agencyId).toBe(f.agencies.X1)
  })

  it('counts the same citizen (name, year, village folded) once per period, and again in the next period', async () => {
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s1, form: citizen('Lò Thị Mai', '1990', 'Thôn Nậm Sài') })
    await refusedWith(addCitizen({ db: db(), actor: actors.x1, sessionId: s1, form: citizen('lo thi  mai', '1990', 'thon nam sai') }), 'CONFLICT', 'training.alreadyAttending')
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s2, form: citizen('LÒ THỊ MAI', '1990', 'thôn Nậm Sài') })
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s2, form: citizen('Lò Thị Mai', '1991', 'Thôn Nậm Sài') })
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s2, form: citizen('Giàng A Sử', '1985', 'Thôn Na Hối') })
    const q1 = await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q1 })
    expect(q1.citizens).toBe(3)
    // Paged in SQL, in Vietnamese order of people (given name first: Mai before Sử).
    const people = await trainingPeople({ db: db(), agencyIds: [f.agencies.X1], ...Q1, list: 'citizens', page: 1 })
    expect((await trainingPeopleTotals({ db: db(), agencyIds: [f.agencies.X1], ...Q1 })).citizens).toBe(3)
    expect(people.map((c) => [c.fullName, c.birthYear, c.sessions])).toEqual([
      ['Lò Thị Mai', 1990, 2],
      ['Lò Thị Mai', 1991, 1],
      ['Giàng A Sử', 1985, 1],
    ])
    const page2 = await trainingPeople({ db: db(), agencyIds: [f.agencies.X1], ...Q1, list: 'citizens', page: 2, perPage: 2 })
    expect(page2.map((c) => c.fullName)).toEqual(['Giàng A Sử'])
    expect(q1.byPlace).toEqual([
      { commune: 'Xã Bắc Hà', village: 'Thôn Na Hối', citizens: 2 },
      { commune: 'Xã Bắc Hà', village: 'Thôn Nậm Sài', citizens: 1 },
    ])
    expect(q1.byTopic).toEqual([
      { topic: 'Dùng VNeID', staff: 0, citizens: 1 },
      { topic: 'Thanh toán không dùng tiền mặt', staff: 0, citizens: 3 },
    ])
    const s3 = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-04-20') })).id
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s3, form: citizen('Lò Thị Mai', '1990', 'Thôn Nậm Sài') })
    expect((await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q2 })).citizens).toBe(1)
    expect((await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q1 })).citizens).toBe(3)
    // Another subtree sees none of it.
    expect((await trainingFigures({ db: db(), agencyIds: [f.agencies.X3], ...Q1 })).citizens).toBe(0)
  })

  it('counts staff in person, online and together; a roster record of another subtree is refused', async () => {
    const completions = await db().courseCompletion.findMany({ select: { completedAt: true, enrolment: { select: { userId: true, user: { select: { agencyId: true } } } } } })
    expect(completions.length).toBeGreaterThan(0)
    const first = completions[0]!
    const window = { from: new Date(first.completedAt.getTime() - 1), to: new Date(first.completedAt.getTime() + 1) }
    const agencyId = first.enrolment.user.agencyId!
    const expectedOnline = new Set(completions.filter((c) => c.completedAt >= window.from && c.completedAt < window.to && c.enrolment.user.agencyId === agencyId).map((c) => c.enrolment.userId)).size
    const before = await trainingFigures({ db: db(), agencyIds: [agencyId], ...window })
    expect(before.staffOnline).toBe(expectedOnline)
    expect(before.staffInPerson).toBe(0)

    // The same person on the roster, linked to that account, and a second record without an account.
    const linked =
      (await db().staffRecord.findUnique({ where: { userId: first.enrolment.userId } })) ??
      (await db().staffRecord.create({ data: { staffCode: 'TRAIN-001', fullName: 'Người đã học trực tuyến', agencyId, userId: first.enrolment.userId, ...staffKeys({ staffCode: 'TRAIN-001', fullName: 'Người đã học trực tuyến', email: null }) } }))
    const plain = await db().staffRecord.create({ data: { staffCode: 'TRAIN-002', fullName: 'Hoàng Văn Pả', agencyId, ...staffKeys({ staffCode: 'TRAIN-002', fullName: 'Hoàng Văn Pả', email: null }) } })
    const day = first.completedAt.toISOString().slice(0, 10)
    const session = (await createSession({ db: db(), actor: actors.admin, form: sessionForm(agencyId, day) })).id
    await addStaff({ db: db(), actor: actors.admin, sessionId: session, staffRecordId: linked.id })
    await addStaff({ db: db(), actor: actors.admin, sessionId: session, staffRecordId: plain.id })
    await refusedWith(addStaff({ db: db(), actor: actors.admin, sessionId: session, staffRecordId: plain.id }), 'CONFLICT', 'training.alreadyAttending')
    const dayWindow = { from: new Date(`${day}T00:00:00Z`), to: new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000) }
    const onlineThatDay = new Set(completions.filter((c) => c.completedAt >= dayWindow.from && c.completedAt < dayWindow.to && c.enrolment.user.agencyId === agencyId).map((c) => c.enrolment.userId))
    const after = await trainingFigures({ db: db(), agencyIds: [agencyId], ...dayWindow })
    expect(after.staffInPerson).toBe(2)
    expect(after.staffOnline).toBe(onlineThatDay.size)
    // The linked record is one of the online learners: together counts them once.
    expect(after.staffTogether).toBe(onlineThatDay.size + 1)

    const x1Staff = await db().staffRecord.create({ data: { staffCode: 'TRAIN-003', fullName: 'Sùng Seo Chứ', agencyId: f.agencies.X3, ...staffKeys({ staffCode: 'TRAIN-003', fullName: 'Sùng Seo Chứ', email: null }) } })
    const s = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-05-02') })).id
    await refusedWith(addStaff({ db: db(), actor: actors.x1, sessionId: s, staffRecordId: x1Staff.id }), 'NOT_FOUND', 'training.staffNotInScope')
    // Accounts: one of X3 is refused to X1's manager; one of X1 is added once and counted in person.
    const x3User = await db().user.findFirstOrThrow({ where: { agencyId: f.agencies.X3 } })
    const x1User = await db().user.findFirstOrThrow({ where: { agencyId: f.agencies.X1 } })
    await refusedWith(addAccount({ db: db(), actor: actors.x1, sessionId: s, userId: x3User.id }), 'NOT_FOUND', 'training.staffNotInScope')
    await refusedWith(addAccount({ db: db(), actor: actors.x1, sessionId: s, userId: 'nope' }), 'NOT_FOUND', 'training.staffNotInScope')
    await addAccount({ db: db(), actor: actors.x1, sessionId: s, userId: x1User.id })
    await refusedWith(addAccount({ db: db(), actor: actors.x1, sessionId: s, userId: x1User.id }), 'CONFLICT', 'training.alreadyAttending')
    expect((await trainingFigures({ db: db(), agencyIds: [f.agencies.X1], ...Q2 })).staffInPerson).toBe(1)
  })

  it('a session belongs to the period of its date in Vietnam (+07:00 day bounds of the report filter)', async () => {
    const s = (await createSession({ db: db(), actor: actors.x1, form: sessionForm(f.agencies.X1, '2026-06-30') })).id
    await addCitizen({ db: db(), actor: actors.x1, sessionId: s, form: citizen('Ly Seo Dình', '1970', 'Thôn Cuối Quý') })
    const count = async (from: string, to: string) => (await trainingPeople({ db: db(), agencyIds: [f.agencies.X1], ...periodBounds({ from, to }), list: 'citizens', page: null })).filter((c) => c.fullName === 'Ly Seo Dình').length
    expect(await count('2026-04-01', '2026-06-30')).toBe(1)
    expect(await count('2026-07-01', '2026-09-30')).toBe(0)
    expect(await count('2026-06-30', '2026-06-30')).toBe(1)
    expect(await count('2026-06-29', '2026-06-29')).toBe(0)
  })

  it('the database refuses rows the forms refuse (CHECK constraints)', async () => {
    await expect(db().$executeRawUnsafe(`INSERT INTO training_session (agency_id, starts_on, ends_on, commune, topic, minutes, updated_at) VALUES ('${f.agencies.X1}', '2026-02-10', '2026-02-09', 'X', 'T', 60, now())`)).rejects.toThrow()
    await expect(db().$executeRawUnsafe(`INSERT INTO training_attendee (session_id, kind, full_name) SELECT id, 'CITIZEN', 'A' FROM training_session LIMIT 1`)).rejects.toThrow()
  })
})
