// A small province whose report figures are computed by hand (tests/integration/report.test.ts
// lists them). Dates are relative to `now`, so certificate statuses hold whenever it runs.
//
//   P  Tỉnh Thử (PROVINCE)
//   ├─ D   Sở Thử (DEPARTMENT, headcount set by hand: 10)   d1 d2 d3
//   ├─ X1  Xã Một (COMMUNE)                                  a1 a2 a3 a4  (+ b1 b2 after the merger)
//   │   └─ S1  Trường Một (SCHOOL)                           s1
//   ├─ X2  Xã Hai (COMMUNE) — merged into X1 by the test     b1 b2
//   └─ X3  Xã Ba (COMMUNE)                                   c1 c2
import type { PrismaClient } from '@prisma/client'
import { userKeys } from '~/modules/auth/keys'
import { staffKeys } from '~/modules/roster/keys'

export const DAY = 86_400_000

export interface ReportFixture {
  agencies: Record<'P' | 'D' | 'X1' | 'X2' | 'X3' | 'S1', string>
  courses: Record<'C1' | 'C2', string>
  users: Record<string, string>
  admin: string
  managerX1: string
  managerX3: string
}

export async function course(db: PrismaClient, slug: string, title: string) {
  return (
    await db.course.create({
      data: {
        slug,
        title,
        summary: 'Khoá dùng trong kiểm thử báo cáo',
        audiences: ['CIVIL_SERVANTS'],
        topic: 'basic',
        level: 'basic',
        estimatedHours: 2,
        standardCodes: [],
        passMark: 70,
        validityMonths: 24,
        version: '1',
        contentHash: slug,
      },
    })
  ).id
}

let certSeq = 0

export async function buildReportFixture(db: PrismaClient, now = new Date()): Promise<ReportFixture> {
  const agency = async (code: string, name: string, type: 'PROVINCE' | 'DEPARTMENT' | 'COMMUNE' | 'SCHOOL', parentId: string | null, headcountManual: number | null = null) =>
    (await db.agency.create({ data: { code, name, type, parentId, headcountManual } })).id
  const P = await agency('T-P', 'Tỉnh Thử', 'PROVINCE', null)
  const D = await agency('T-D', 'Sở Thử', 'DEPARTMENT', P, 10)
  const X1 = await agency('T-X1', 'Xã Một', 'COMMUNE', P)
  const X2 = await agency('T-X2', 'Xã Hai', 'COMMUNE', P)
  const X3 = await agency('T-X3', 'Xã Ba', 'COMMUNE', P)
  const S1 = await agency('T-S1', 'Trường Một', 'SCHOOL', X1)
  const C1 = await course(db, 'c-mot', 'Khoá Một')
  const C2 = await course(db, 'c-hai', 'Khoá Hai')

  const users: Record<string, string> = {}
  const person = async (key: string, agencyId: string, { linked = true, jobTitle = 'Công chức' }: { linked?: boolean; jobTitle?: string } = {}) => {
    const fullName = `Người ${key}`
    let userId: string | null = null
    if (linked) {
      userId = (
        await db.user.create({
          data: { fullName, email: `${key}@report.example`, kind: 'CIVIL_SERVANT', agencyId, jobTitle, ...userKeys({ fullName, email: `${key}@report.example` }) },
        })
      ).id
      users[key] = userId
    }
    await db.staffRecord.create({
      data: { staffCode: `NV-${key.toUpperCase()}`, fullName, jobTitle, agencyId, userId, ...staffKeys({ staffCode: `NV-${key.toUpperCase()}`, fullName, email: null }) },
    })
  }
  /** Enrols; with `completedDaysAgo`, completes (attempt + completion) and returns the completion. */
  const learn = async (key: string, courseId: string, completedDaysAgo?: number) => {
    const enrolledAt = new Date(now.getTime() - 500 * DAY)
    const completedAt = completedDaysAgo === undefined ? null : new Date(now.getTime() - completedDaysAgo * DAY)
    return db.enrolment.create({ data: { userId: users[key]!, courseId, enrolledAt, completedAt } })
  }
  const certify = async (
    key: string,
    courseId: string,
    { issuedDaysAgo, expiresInDays, revoked = false }: { issuedDaysAgo: number; expiresInDays: number | null; revoked?: boolean },
  ) => {
    const enrolment = await db.enrolment.findUniqueOrThrow({ where: { userId_courseId: { userId: users[key]!, courseId } } })
    const number = (await db.quizAttempt.count({ where: { enrolmentId: enrolment.id } })) + 1
    const issuedAt = new Date(now.getTime() - issuedDaysAgo * DAY)
    const attempt = await db.quizAttempt.create({
      data: {
        enrolmentId: enrolment.id,
        userId: users[key]!,
        courseId,
        number,
        status: 'SUBMITTED',
        draw: [],
        contentVersion: '1',
        startedAt: new Date(issuedAt.getTime() - 3_600_000),
        submittedAt: issuedAt,
        scorePercent: 100,
        passed: true,
      },
    })
    const completion = await db.courseCompletion.create({ data: { enrolmentId: enrolment.id, attemptId: attempt.id, completedAt: issuedAt } })
    certSeq++
    return db.certificate.create({
      data: {
        number: `T-${certSeq}-${Date.now()}`,
        code: `code-${certSeq}-${Math.random().toString(36).slice(2)}-xxxxxxxxxxxxxxxx`,
        completionId: completion.id,
        userId: users[key]!,
        courseId,
        holderName: `Người ${key}`,
        courseTitle: 'Khoá',
        courseVersion: '1',
        issuedAt,
        expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * DAY),
        revokedAt: revoked ? now : null,
        revokedReason: revoked ? 'Cấp nhầm' : null,
      },
    })
  }

  // D: d1 completed C1 long ago (certificate without expiry), d2 enrolled only, d3 has no account.
  await person('d1', D)
  await person('d2', D)
  await person('d3', D, { linked: false })
  await learn('d1', C1, 400)
  await certify('d1', C1, { issuedDaysAgo: 400, expiresInDays: null })
  await learn('d2', C1)

  // X1: a1 certificate expiring in 30 days; a2 expired 10 days ago (completed long ago); a3 renewed
  // (the old, expired certificate is superseded by a valid one); a4 has no account.
  await person('a1', X1)
  await person('a2', X1)
  await person('a3', X1)
  await person('a4', X1, { linked: false })
  await learn('a1', C1, 10)
  await certify('a1', C1, { issuedDaysAgo: 10, expiresInDays: 30 })
  await learn('a2', C1, 400)
  await certify('a2', C1, { issuedDaysAgo: 400, expiresInDays: -10 })
  await learn('a3', C1, 10)
  const old = await certify('a3', C1, { issuedDaysAgo: 700, expiresInDays: -5 })
  const renewed = await certify('a3', C1, { issuedDaysAgo: 10, expiresInDays: 700 })
  await db.certificate.update({ where: { id: old.id }, data: { supersededById: renewed.id } })

  // X2 (to be merged into X1): b1 completed C1 but the certificate was revoked; b2 enrolled in C2.
  await person('b1', X2)
  await person('b2', X2)
  await learn('b1', C1, 10)
  await certify('b1', C1, { issuedDaysAgo: 10, expiresInDays: 700, revoked: true })
  await learn('b2', C2)

  // S1: s1, a teacher, completed C2 with a valid certificate.
  await person('s1', S1, { jobTitle: 'Giáo viên' })
  await learn('s1', C2, 10)
  await certify('s1', C2, { issuedDaysAgo: 10, expiresInDays: 700 })

  // X3: c1 completed C1 (valid certificate); c2, a teacher, has no account.
  await person('c1', X3)
  await person('c2', X3, { linked: false, jobTitle: 'Giáo viên' })
  await learn('c1', C1, 10)
  await certify('c1', C1, { issuedDaysAgo: 10, expiresInDays: 700 })

  // Assignments: C1 for X1's subtree, due yesterday; C2 for teachers of the whole province, due
  // yesterday; C1 for D, due next month (not overdue yet).
  await db.courseAssignment.create({ data: { courseId: C1, agencyId: X1, dueAt: new Date(now.getTime() - DAY) } })
  await db.courseAssignment.create({ data: { courseId: C2, agencyId: P, jobTitles: ['Giáo viên'], dueAt: new Date(now.getTime() - DAY) } })
  await db.courseAssignment.create({ data: { courseId: C1, agencyId: D, dueAt: new Date(now.getTime() + 30 * DAY) } })

  const role = async (email: string, r: 'ADMIN' | 'AGENCY_MANAGER', agencyId: string | null) => {
    const u = await db.user.create({
      data: { fullName: email, email, kind: 'CIVIL_SERVANT', agencyId: agencyId ?? P, ...userKeys({ fullName: email, email }) },
    })
    await db.roleGrant.create({ data: { userId: u.id, role: r, agencyId } })
    return u.id
  }
  return {
    agencies: { P, D, X1, X2, X3, S1 },
    courses: { C1, C2 },
    users,
    admin: await role('admin@report.example', 'ADMIN', null),
    managerX1: await role('ql.x1@report.example', 'AGENCY_MANAGER', X1),
    managerX3: await role('ql.x3@report.example', 'AGENCY_MANAGER', X3),
  }
}
