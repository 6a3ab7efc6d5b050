// Reliability 4 — an IDOR sweep. Every route with an id in its address (found by reading
// app/routes: every pattern with a `:param`) is visited with the id of something that belongs to
// someone else, signed in as people of another agency (a learner, an agency manager), a teacher
// (of another class, at the same school), a student of the class… and, where the route acts, posted to: the answer is 403 or 404, the page holds none of the victim's data,
// and nothing changes. Sessions and the rest of access control: tests/integration/auth-*.test.ts
// (session cookie, expiry, sign-out everywhere, throttling, people scope) — not repeated here.
//
// TO ADD A ROUTE: add an entry to IDOR keyed by the route id (file name in app/routes without the
// extension). `owned`: path to the victim's thing (from the fixture `f`), the texts of the victim's
// that must not show, and optionally a form that would change it if the check were missing, with a
// `unchanged` probe. `public`/`secret`: why the id in this address is not somebody's (a course
// slug is public content; a reset token is itself the credential) — say it in `why`; give `probe`,
// an address of it, when anyone may open it: an anonymous GET must then answer 200 without the
// victim's data. `also` lists more addresses of the same route (the other formats); `posts` several
// forms. Files are read as what they carry: a JWT's payload, the XML inside an XLSX; a PDF or PNG
// cannot be searched, so for them the rightful viewer's 200 and every attacker's 403/404 are checked.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withFileEnv } from '../setup/env'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { saveAnswers, startAttempt } from '~/modules/quiz/attempt.server'
import { openPeriod } from '~/modules/periods/period.server'
import { submitReport } from '~/modules/periods/workflow.server'
import { staffKeys } from '~/modules/roster/keys'
import { createAttendancePreview } from '~/modules/training/import.server'
import { CitizenSchema, SessionSchema } from '~/modules/training/schema'
import { addCitizen, createSession } from '~/modules/training/service.server'
import { issuePassedCertificate } from '../setup/certificate-fixture'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { missingEntries, routeModules } from '../setup/routes'
import { Browser, type TestServer } from '../setup/test-server'

// Certificate PDFs and PNGs drawn by this test go to a folder of its own (read at the first request).
const certificateCache = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-idor-cert-'))
withFileEnv({ CERTIFICATE_CACHE_DIR: certificateCache })

interface Fixture {
  victimId: string
  victimName: string
  victimAttemptId: string
  /** The victim's certificate. */
  certificateId: string
  certificateNumber: string
  certificateCode: string
  /** A class of the demo teacher, a student in it who signs in with a PIN, and one assignment. */
  classId: string
  className: string
  classCode: string
  classStudentId: string
  classStudentPinHash: string
  assignmentId: string
  /** The victim's agency, with a headcount only its managers and admins see on the admin page. */
  agencyId: string
  otherAgencyId: string
  /** A roster import made by the victim's manager, not yet applied. */
  importId: string
  /** A reporting period; the victim agency's report in it, submitted by its manager (version 1). */
  periodId: string
  snapshotId: string
  snapshotCode: string
  /** An in-person training session of the victim agency, with a citizen on it, and an attendance preview. */
  trainingSessionId: string
  trainingAttendeeId: string
  trainingImportId: string
}

/** Everyone the sweep signs in as. */
type Person =
  | 'otherLearner' // a learner of another agency
  | 'otherManager' // the manager of another agency
  | 'teacher' // the demo teacher (owner of the fixture class)
  | 'otherTeacher' // a teacher of another class at the same school
  | 'classStudent' // a student of the fixture class (PIN sign-in)
  | 'victim' // the demo learner
  | 'victimManager' // the demo learner's agency manager
  | 'admin'

type IdorEntry =
  | {
      kind: 'owned'
      path: (f: Fixture) => string
      /** More addresses of the same route (other formats), checked the same way. */
      also?: (f: Fixture) => string[]
      /** Texts of the victim's that must not appear in the answer. */
      secrets: (f: Fixture) => string[]
      attackers: Person[]
      /** Who may see it: their GET must show the secrets, so the check above has teeth. */
      rightful: Person | Person[]
      post?: Record<string, string>
      /** Forms that would change the thing if the check were missing (posted by every attacker). */
      posts?: (f: Fixture) => Array<Record<string, string>>
      /** After the posts: what must still hold (returns problems). */
      unchanged?: (t: TestServer, f: Fixture) => Promise<string[]>
    }
  | { kind: 'public' | 'secret'; why: string; probe?: (f: Fixture) => string }

const CLASS_STUDENT = 'Sùng A Páo'
const CLASS_PIN = '482915'
/** The student whose name the class pages must keep to the teacher. */
const SECRET_STUDENT = 'Vàng Thị Dợ'
const OUTSIDERS: Person[] = ['otherLearner', 'otherManager', 'otherTeacher', 'classStudent']

const classUnchanged = async (t: TestServer, f: Fixture) => {
  const problems: string[] = []
  const prisma = t.t.db.prisma
  const cls = await prisma.class.findUniqueOrThrow({ where: { id: f.classId }, include: { assignments: true } })
  if (cls.archivedAt) problems.push('the class was archived')
  if (cls.assignments.length !== 1 || cls.assignments[0]!.id !== f.assignmentId) problems.push(`the class's assignments changed: ${cls.assignments.length}`)
  const member = await prisma.classMember.findFirstOrThrow({ where: { classId: f.classId, userId: f.classStudentId } })
  if (member.pinHash !== f.classStudentPinHash) problems.push("a student's PIN was reset")
  return problems
}

const certificateUnchanged = async (t: TestServer, f: Fixture) => {
  const c = await t.t.db.prisma.certificate.findUniqueOrThrow({ where: { id: f.certificateId } })
  const audits = await t.t.db.prisma.auditLog.count({ where: { action: 'certificate.revoke' } })
  return c.revokedAt === null && audits === 0 ? [] : [`the certificate was revoked (${c.revokedReason}), ${audits} revocations audited`]
}

const certificateSecrets = (f: Fixture) => [f.victimName, f.certificateNumber, f.certificateCode]
const HEADCOUNT = 8765431
/** The narrative of the victim agency's periodic report: only its managers, the level above and admins see it. */
const PERIOD_NARRATIVE = 'Thuyết minh mật của xã: thiếu 7 máy tính'
const SCHOOL_NAME = 'Trường THCS mẫu Bắc Hà (dữ liệu mẫu)'
const periodReportUnchanged = async (t: TestServer, f: Fixture) => {
  const report = await t.t.db.prisma.periodReport.findFirstOrThrow({ where: { periodId: f.periodId, agencyId: f.agencyId } })
  const snapshots = await t.t.db.prisma.reportSnapshot.count({ where: { reportId: report.id } })
  const reviews = await t.t.db.prisma.reportReview.count()
  return report.status === 'SUBMITTED' && report.version === 1 && snapshots === 1 && reviews === 0 ? [] : [`the report changed: ${report.status} v${report.version}, ${snapshots} snapshots, ${reviews} reviews`]
}
const ROSTER_FILE = 'danh-sach-bi-mat-bac-ha.csv'
/** The topic of the victim agency's training session and the citizens on its list and in its preview. */
const TRAINING_TOPIC = 'Tập huấn mật của xã Bắc Hà'
const TRAINING_CITIZEN = 'Thào Thị Bí Mật'
const TRAINING_IMPORTED = 'Lầu A Tệp Mật'
const trainingUnchanged = async (t: TestServer, f: Fixture) => {
  const prisma = t.t.db.prisma
  const attendees = await prisma.trainingAttendee.findMany({ where: { sessionId: f.trainingSessionId }, select: { id: true, checkScore: true } })
  const job = await prisma.trainingImport.findUniqueOrThrow({ where: { id: f.trainingImportId } })
  const session = await prisma.trainingSession.findUniqueOrThrow({ where: { id: f.trainingSessionId }, select: { checkMaxScore: true } })
  return attendees.length === 1 && attendees[0]!.id === f.trainingAttendeeId && attendees[0]!.checkScore === null && session.checkMaxScore === null && job.status === 'PREVIEW'
    ? []
    : [`the session changed: ${attendees.length} attendees, import ${job.status}, check ${session.checkMaxScore}`]
}
const TRAINING_ATTACKERS: Person[] = ['otherLearner', 'otherManager', 'teacher', 'otherTeacher', 'victim']

export const IDOR: Record<string, IdorEntry> = {
  'admin.certificates.$id': {
    kind: 'owned',
    path: (f) => `/admin/certificates/${f.certificateId}`,
    secrets: (f) => [f.victimName, f.certificateNumber],
    // Only admins revoke: not the holder, not their own manager (who may see the certificate).
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher', 'victim', 'victimManager'],
    rightful: 'admin',
    posts: () => [{ reason: 'Thu hồi trái phép để thử', confirm: 'yes' }],
    unchanged: certificateUnchanged,
  },
  'admin.agencies.$agencyId': {
    kind: 'owned',
    path: (f) => `/admin/agencies/${f.agencyId}`,
    secrets: () => [String(HEADCOUNT)],
    // Only admins and managers of a subtree holding the agency: not its own staff, not a teacher.
    attackers: ['otherLearner', 'otherManager', 'teacher', 'victim'],
    rightful: ['victimManager', 'admin'],
    posts: (f): Array<Record<string, string>> => [
      { intent: 'update', name: 'Đơn vị bị đổi tên', headcountManual: '1' },
      { intent: 'move', parentId: f.otherAgencyId },
      { intent: 'merge', targetId: f.otherAgencyId, confirm: 'yes' },
      { intent: 'deactivate', confirm: 'yes' },
    ],
    unchanged: async (t, f) => {
      const a = await t.t.db.prisma.agency.findUniqueOrThrow({ where: { id: f.agencyId } })
      return a.status === 'ACTIVE' && a.name === 'Xã Bắc Hà' && a.headcountManual === HEADCOUNT && a.parentId !== f.otherAgencyId ? [] : [`the agency changed: ${a.status} ${a.name} ${a.headcountManual}`]
    },
  },
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
  'certificates.$id._index': {
    kind: 'owned',
    path: (f) => `/certificates/${f.certificateId}`,
    secrets: certificateSecrets,
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher'],
    rightful: ['victim', 'victimManager', 'admin'],
  },
  'certificates.$id.$format': {
    kind: 'owned',
    path: (f) => `/certificates/${f.certificateId}/jwt`,
    also: (f) => [`/certificates/${f.certificateId}/pdf`, `/certificates/${f.certificateId}/png`],
    secrets: certificateSecrets,
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher'],
    rightful: ['victim', 'victimManager'],
  },
  'classes.$classId._index': {
    kind: 'owned',
    path: (f) => `/classes/${f.classId}`,
    secrets: (f) => [SECRET_STUDENT, f.classCode],
    attackers: [...OUTSIDERS, 'victimManager'],
    rightful: 'teacher',
    posts: (f): Array<Record<string, string>> => [
      { intent: 'assign', target: 'khoa-thu/bai-hai', due: '' },
      { intent: 'unassign', assignment: f.assignmentId },
      { intent: 'reset-pin', user: f.classStudentId },
      { intent: 'archive' },
    ],
    unchanged: classUnchanged,
  },
  'classes.$classId.export.$format': {
    kind: 'owned',
    path: (f) => `/classes/${f.classId}/export/csv`,
    also: (f) => [`/classes/${f.classId}/export/xlsx`],
    secrets: () => [SECRET_STUDENT],
    attackers: [...OUTSIDERS, 'victimManager'],
    rightful: 'teacher',
  },
  'classes.$classId.print': {
    kind: 'owned',
    path: (f) => `/classes/${f.classId}/print`,
    secrets: (f) => [f.className, f.classCode],
    // The class's own student knows the code, but not from here: the teacher hands the sheet out.
    attackers: OUTSIDERS,
    rightful: 'teacher',
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
  'courses.$course._index': { kind: 'public', why: 'a course slug names public content; progress shown is always the signed-in person’s own', probe: () => '/courses/khoa-thu' },
  'courses.$course.$lesson': { kind: 'public', why: 'course and lesson slugs name public content; "done" marks are the signed-in person’s own', probe: () => '/courses/khoa-thu/bai-mot' },
  'courses.$course.$lesson_.classroom': {
    kind: 'public',
    why: 'open lessons (issue 9, docs/decisions/010): every lesson is CC BY and readable without signing in; the projector view renders the lesson only, no progress or person',
    probe: () => '/courses/khoa-thu/bai-mot/classroom',
  },
  'courses.$course.$lesson_.source': {
    kind: 'public',
    why: 'open lessons (issue 9): the MDX source of a CC BY lesson, to copy and reuse; it holds no answers of the graded bank (those are in questions/*.yaml) and nothing of a person',
    probe: () => '/courses/khoa-thu/bai-mot/source',
  },
  'courses.$course.offline': {
    kind: 'public',
    why: 'offline packs (issue 9): the pack page of a public CC BY course; sizes and links only, the same for everyone',
    probe: () => '/courses/khoa-thu/offline',
  },
  'courses.$course.offline[.]zip': {
    kind: 'public',
    why: 'offline packs (issue 9): the public lessons as a ZIP for USB sticks (cached publicly); self-check questions only, never the graded bank; no person data',
    probe: () => '/courses/khoa-thu/offline.zip',
  },
  'courses.$course.scorm[.]zip': {
    kind: 'public',
    why: 'SCORM 1.2 (issue 9): the same public CC BY lessons packaged for Moodle; no person data',
    probe: () => '/courses/khoa-thu/scorm.zip',
  },
  'courses.$course.olx[.]tar[.]gz': {
    kind: 'public',
    why: 'Open edX export (issue 22, docs/decisions/027): the same public CC BY lessons and self-check practice questions as SCORM, as OLX; no person data. ?bank=1 (the graded bank with answers) is for admins only: tests/integration/olx-export.test.ts',
    probe: () => '/courses/khoa-thu/olx.tar.gz',
  },
  'courses.$course.quiz._index': { kind: 'public', why: 'the course slug is public; the page lists only the signed-in person’s own attempts' },
  'reports.periods.$periodId._index': {
    kind: 'owned',
    // The overview of the victim agency: its school's reporting status.
    path: (f) => `/reports/periods/${f.periodId}?agency=${f.agencyId}`,
    secrets: () => [SCHOOL_NAME],
    attackers: ['otherLearner', 'otherManager', 'otherTeacher', 'victim'],
    rightful: ['victimManager', 'admin'],
  },
  'reports.periods.$periodId.$agencyId': {
    kind: 'owned',
    path: (f) => `/reports/periods/${f.periodId}/${f.agencyId}`,
    secrets: () => [PERIOD_NARRATIVE],
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher', 'victim'],
    rightful: ['victimManager', 'admin'],
    posts: (): Array<Record<string, string>> => [
      { intent: 'submit', narrative: 'Gửi thay đơn vị khác', confirm: 'yes' },
      { intent: 'save', narrative: 'Sửa nháp của đơn vị khác' },
      { intent: 'approve', version: '1' },
      { intent: 'return', version: '1', reason: 'Trả lại trái phép để thử' },
    ],
    unchanged: periodReportUnchanged,
  },
  'reports.snapshots.$snapshotId.print': {
    kind: 'owned',
    path: (f) => `/reports/snapshots/${f.snapshotId}/print`,
    secrets: (f) => [PERIOD_NARRATIVE, f.snapshotCode],
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher', 'victim'],
    rightful: ['victimManager', 'admin'],
  },
  'reports.snapshots.$snapshotId.$format': {
    kind: 'owned',
    path: (f) => `/reports/snapshots/${f.snapshotId}/xlsx`,
    also: (f) => [`/reports/snapshots/${f.snapshotId}/pdf`],
    secrets: (f) => [PERIOD_NARRATIVE, f.snapshotCode],
    attackers: ['otherLearner', 'otherManager', 'teacher', 'otherTeacher', 'victim'],
    rightful: ['victimManager', 'admin'],
  },
  'training.$sessionId._index': {
    kind: 'owned',
    path: (f) => `/training/${f.trainingSessionId}`,
    secrets: () => [TRAINING_TOPIC, TRAINING_CITIZEN],
    attackers: TRAINING_ATTACKERS,
    rightful: ['victimManager', 'admin'],
    posts: (f): Array<Record<string, string>> => [
      { intent: 'add-citizen', fullName: 'Người Thêm Trái Phép', birthYear: '1990', village: 'Thôn Xa', phone: '', gender: '', ethnicity: '' },
      { intent: 'remove', attendeeId: f.trainingAttendeeId, confirm: 'yes' },
      { intent: 'add-account', userId: f.victimId },
      { intent: 'set-check', checkMaxScore: '10', checkPassScore: '5' },
      { intent: 'record-scores', [`score-${f.trainingAttendeeId}`]: '7' },
    ],
    unchanged: trainingUnchanged,
  },
  'training.$sessionId.sheet': {
    kind: 'owned',
    path: (f) => `/training/${f.trainingSessionId}/sheet`,
    secrets: () => [TRAINING_TOPIC, TRAINING_CITIZEN],
    attackers: TRAINING_ATTACKERS,
    rightful: ['victimManager', 'admin'],
  },
  'training.$sessionId.import._index': {
    kind: 'owned',
    path: (f) => `/training/${f.trainingSessionId}/import`,
    secrets: () => [TRAINING_TOPIC],
    attackers: TRAINING_ATTACKERS,
    rightful: ['victimManager', 'admin'],
    posts: () => [{ file: 'Họ và tên,Năm sinh,Thôn\nNgười Lạ,1990,Thôn Xa' }],
    unchanged: trainingUnchanged,
  },
  'training.$sessionId.import.$importId': {
    kind: 'owned',
    path: (f) => `/training/${f.trainingSessionId}/import/${f.trainingImportId}`,
    secrets: () => [TRAINING_IMPORTED],
    attackers: TRAINING_ATTACKERS,
    rightful: ['victimManager', 'admin'],
    posts: () => [{ intent: 'confirm' }, { intent: 'cancel' }],
    unchanged: trainingUnchanged,
  },
  'verify.report.$code': {
    kind: 'secret',
    why: 'the check code is printed on the periodic report (text and QR) so that anyone holding the paper can compare it with the frozen snapshot: 128 random bits; the page shows only the frozen figures and narrative (tests/integration/periods.test.ts)',
  },
  'reset-password.$token': { kind: 'secret', why: 'the token is the credential itself (only its hash is stored); tests/integration/auth-flow.test.ts covers used, expired and unknown links' },
  'staff.import.$importId': {
    kind: 'owned',
    path: (f) => `/staff/import/${f.importId}`,
    secrets: () => [ROSTER_FILE],
    attackers: ['otherLearner', 'otherManager', 'teacher', 'victim'],
    rightful: ['victimManager', 'admin'],
    posts: (): Array<Record<string, string>> => [{ intent: 'confirm' }, { intent: 'cancel' }],
    unchanged: async (t, f) => {
      const job = await t.t.db.prisma.rosterImport.findUniqueOrThrow({ where: { id: f.importId } })
      const staff = await t.t.db.prisma.staffRecord.count({ where: { fullName: 'Hoàng Văn Danh Sách' } })
      return job.status === 'PREVIEW' && staff === 0 ? [] : [`the import changed: ${job.status}, ${staff} staff records written`]
    },
  },
  'verify.$code': {
    kind: 'secret',
    why: 'the verification code is printed on the certificate (URL and QR) so anyone holding it can check it: 128 random bits, unguessable; the page shows only the certificate’s facts (tests/integration/certificates.test.ts); look-ups by number are throttled',
  },
}

let server: LearningServer
const fixture = {} as Fixture
const people = {} as Record<Person, Browser>
/** Each person's own name: it is in their page header, so it is no secret from them. */
const ownName = {} as Record<Person, string>
const PASSWORD = 'Ke-tan-cong-2026!'
const SAVED_ANSWER = 'cau tra loi bi mat cua hoc vien'

beforeAll(async () => {
  // Packs read the fixture's compiled media and are cached beside it (as in packs.test.ts).
  server = await startLearningServer({ packsBesideContent: true, cleanUp: [certificateCache] })
  const prisma = server.t.db.prisma
  const victim = await prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
  fixture.victimId = victim.id
  fixture.victimName = victim.fullName
  fixture.victimAttemptId = (await startAttempt({ userId: victim.id, courseSlug: 'khoa-thu' }, prisma)).attemptId
  // A saved answer of the victim's: what an IDOR would show (the attempt's id is in the address anyway).
  await saveAnswers({ userId: victim.id, courseSlug: 'khoa-thu', attemptId: fixture.victimAttemptId, responses: { 'cau-bon': [SAVED_ANSWER] } }, prisma)
  // The victim's certificate: a passed attempt, its completion, the certificate issued from it.
  const certificate = await issuePassedCertificate(prisma, victim.id)
  const course = await prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
  Object.assign(fixture, { certificateId: certificate.id, certificateNumber: certificate.number, certificateCode: certificate.code })

  // People of another agency: a learner, and the manager of that agency.
  const other = await prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null }, id: { not: victim.agencyId! } }, orderBy: { code: 'desc' } })
  const school = await prisma.agency.findUniqueOrThrow({ where: { code: 'MAU-THCS-BACHA' } })
  const passwordHash = await hashPassword(PASSWORD)
  for (const [email, fullName, role, agencyId] of [
    ['hoc-vien-khac@idor.example', 'Người học đơn vị khác', null, other.id],
    ['quan-ly-khac@idor.example', 'Quản lý đơn vị khác', 'AGENCY_MANAGER', other.id],
    // Another teacher at the same school as the class's teacher, with a class of their own.
    ['giao-vien-khac@idor.example', 'Giáo viên lớp khác', 'TEACHER', school.id],
  ] as const) {
    const user = await prisma.user.create({ data: { email, fullName, kind: role === 'TEACHER' ? 'TEACHER' : 'CIVIL_SERVANT', agencyId, passwordHash, ...userKeys({ fullName, email }) } })
    if (role) await prisma.roleGrant.create({ data: { userId: user.id, role, agencyId } })
    if (role === 'TEACHER') await prisma.class.create({ data: { name: 'Lớp 9C của giáo viên khác', schoolId: school.id, teacherId: user.id, joinCode: 'KHAC23' } })
  }

  // The demo teacher's class: two students with PINs, one assignment.
  const teacher = await prisma.user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })
  fixture.className = 'Lớp 8A bí mật'
  fixture.classCode = 'QX7K2M'
  fixture.classId = (await prisma.class.create({ data: { name: fixture.className, schoolId: school.id, teacherId: teacher.id, joinCode: fixture.classCode } })).id
  fixture.assignmentId = (await prisma.classAssignment.create({ data: { classId: fixture.classId, courseId: course.id } })).id
  for (const name of [CLASS_STUDENT, SECRET_STUDENT]) {
    const student = await prisma.user.create({ data: { fullName: name, kind: 'STUDENT', agencyId: school.id, ...userKeys({ fullName: name }) } })
    const pinHash = await hashPassword(name === CLASS_STUDENT ? CLASS_PIN : '730412')
    await prisma.classMember.create({ data: { classId: fixture.classId, userId: student.id, pinHash } })
    if (name === SECRET_STUDENT) Object.assign(fixture, { classStudentId: student.id, classStudentPinHash: pinHash })
  }

  fixture.agencyId = victim.agencyId!
  fixture.otherAgencyId = other.id
  await prisma.agency.update({ where: { id: victim.agencyId! }, data: { headcountManual: HEADCOUNT } })
  // The victim on their commune's staff roster (what the people list and /staff show).
  await prisma.staffRecord.create({
    data: { staffCode: 'BH-IDOR-1', fullName: victim.fullName, agencyId: victim.agencyId!, userId: victim.id, jobTitle: 'Công chức', ...staffKeys({ staffCode: 'BH-IDOR-1', fullName: victim.fullName, email: null }) },
  })

  // A reporting period for communes and schools; the victim's manager submits the commune's report.
  const adminUser = await prisma.user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })
  const managerUser = await prisma.user.findUniqueOrThrow({ where: { email: 'quanly@banso.example' } })
  fixture.periodId = (
    await openPeriod(prisma, { id: adminUser.id, roles: [{ role: 'ADMIN', agencyId: null }] }, { kind: 'YEAR', year: 2026, number: 1, dueOn: '2099-01-10', agencyTypes: ['COMMUNE', 'SCHOOL'], subtreeRootId: null })
  ).id
  const submitted = await submitReport(prisma, { id: managerUser.id, roles: [{ role: 'AGENCY_MANAGER', agencyId: victim.agencyId! }] }, { periodId: fixture.periodId, agencyId: victim.agencyId!, narrative: PERIOD_NARRATIVE })
  fixture.snapshotId = submitted.id
  fixture.snapshotCode = submitted.verifyCode

  // An in-person training session of the victim's commune, by its manager: one citizen, one sheet previewed.
  const victimManagerActor = { id: managerUser.id, roles: [{ role: 'AGENCY_MANAGER' as const, agencyId: victim.agencyId! }] }
  fixture.trainingSessionId = (
    await createSession({ db: prisma, actor: victimManagerActor, form: SessionSchema.parse({ agencyId: victim.agencyId!, startsOn: '2026-11-20', endsOn: '2026-11-20', commune: 'Xã Bắc Hà', village: 'Thôn Nậm Sài', trainers: '', courseSlug: '', topic: TRAINING_TOPIC, minutes: '90' }) })
  ).id
  fixture.trainingAttendeeId = (
    await addCitizen({ db: prisma, actor: victimManagerActor, sessionId: fixture.trainingSessionId, form: CitizenSchema.parse({ fullName: TRAINING_CITIZEN, birthYear: '1980', village: 'Thôn Nậm Sài' }) })
  ).id
  fixture.trainingImportId = (
    await createAttendancePreview(prisma, victimManagerActor, { sessionId: fixture.trainingSessionId, fileName: 'diem-danh.csv', bytes: new TextEncoder().encode(`Họ và tên,Năm sinh,Thôn\n${TRAINING_IMPORTED},1991,Thôn Nậm Sài\n`) })
  ).id

  const signIn = async (who: Person, email: string, password: string) => {
    const browser = new Browser(server.base)
    expect((await browser.signIn(email, password)).status, `${who} signs in`).toBe(303)
    people[who] = browser
    ownName[who] = (await prisma.user.findUniqueOrThrow({ where: { email } })).fullName
  }
  await signIn('otherLearner', 'hoc-vien-khac@idor.example', PASSWORD)
  await signIn('otherManager', 'quan-ly-khac@idor.example', PASSWORD)
  await signIn('otherTeacher', 'giao-vien-khac@idor.example', PASSWORD)
  await signIn('teacher', 'giaovien@banso.example', 'GiaoVien@2026')
  await signIn('victim', 'hocvien@banso.example', 'HocVien@2026')
  await signIn('victimManager', 'quanly@banso.example', 'QuanLy@2026')
  await signIn('admin', 'quantri@banso.example', 'QuanTri@2026')
  // The victim's manager uploads a roster of their commune (previewed, not applied).
  const upload = new FormData()
  const roster = 'Mã cán bộ,Họ và tên,Mã đơn vị,Chức vụ\nBH-901,Hoàng Văn Danh Sách,LC-X-BACHA,Công chức\n'
  upload.append('file', new File([roster], ROSTER_FILE, { type: 'text/csv' }))
  const uploaded = await fetch(`${server.base}/staff/import`, {
    method: 'POST',
    headers: { Origin: server.base, Cookie: [...people.victimManager.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: upload,
    redirect: 'manual',
  })
  expect(uploaded.status, 'the manager uploads a roster').toBe(303)
  fixture.importId = uploaded.headers.get('location')!.split('/').pop()!

  // The class's own student signs in the way such students do: class code, name and PIN.
  people.classStudent = new Browser(server.base)
  const pinSignIn = await people.classStudent.post('/join', { intent: 'signin-pin', code: fixture.classCode, fullName: CLASS_STUDENT, pin: CLASS_PIN })
  expect(pinSignIn.status, 'the class student signs in with a PIN').toBe(303)
  ownName.classStudent = CLASS_STUDENT
})

afterAll(async () => {
  await server?.close()
})

/**
 * What an answer carries, as text to search: pages and plain text as they are, a signed credential
 * by its payload, a spreadsheet by the XML inside it; null for what cannot be searched (PDF, PNG).
 */
async function readable(response: Response): Promise<string | null> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim()
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (type.startsWith('text/') || type === 'application/json') return Buffer.from(bytes).toString('utf8')
  if (type === 'application/vc+jwt') {
    return Buffer.from(bytes)
      .toString('utf8')
      .split('.')
      .slice(0, 2)
      .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
      .join('\n')
  }
  if (type.includes('spreadsheetml') || type === 'application/zip') {
    return Object.entries(unzipSync(bytes))
      .filter(([name]) => /\.(xml|html|rels)$/.test(name))
      .map(([, data]) => strFromU8(data))
      .join('\n')
  }
  return bytes.length > 0 ? null : ''
}

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
      it(`${route.id}: not an owned id — ${entry.why}`, async () => {
        expect(entry.why.length).toBeGreaterThan(20)
        if (!entry.probe) return
        // Public means anyone: an anonymous visitor gets it, and nothing of a person with it.
        const response = await new Browser(server.base).get(entry.probe(fixture))
        const text = await readable(response)
        expect(response.status, `anonymous GET ${entry.probe(fixture)}: ${text?.slice(0, 300)}`).toBe(200)
        for (const secret of [fixture.victimName, SAVED_ANSWER, fixture.certificateCode]) expect(text ?? '').not.toContain(secret)
      })
      continue
    }
    it.skipIf(!entry)(`${route.id}: someone else gets 403/404, never the data, and changes nothing`, async () => {
      const owned = entry as Extract<IdorEntry, { kind: 'owned' }>
      const paths = [owned.path(fixture), ...(owned.also?.(fixture) ?? [])]
      const secrets = owned.secrets(fixture)
      const forms = [...(owned.post ? [owned.post] : []), ...(owned.posts?.(fixture) ?? [])]
      const problems: string[] = []
      for (const path of paths) {
        for (const who of [owned.rightful].flat()) {
          const own = await people[who].get(path)
          expect(own.status, `${who} must see ${path}`).toBe(200)
          const text = await readable(own)
          if (text === null) continue // a PDF or PNG: the 200 above, and the attackers' refusals below
          for (const secret of secrets) expect(text, `${who}'s own answer at ${path} must show the marker`).toContain(secret)
        }
        for (const who of owned.attackers) {
          const responses: Array<[string, Response]> = [['GET', await people[who].get(path)]]
          if (route.hasAction && path === paths[0]) for (const form of forms) responses.push([`POST ${form.intent ?? ''}`, await people[who].post(path, form)])
          for (const [method, response] of responses) {
            const text = (await readable(response)) ?? '(a file)'
            if (response.status !== 403 && response.status !== 404) problems.push(`${who} ${method} ${path}: HTTP ${response.status}`)
            for (const secret of secrets) if (secret !== ownName[who] && text.includes(secret)) problems.push(`${who} ${method} ${path}: the answer shows "${secret}"`)
          }
        }
      }
      if (owned.unchanged) problems.push(...(await owned.unchanged(server, fixture)))
      expect(problems).toEqual([])
    })
  }
})

// The report takes its agency from the query string, not the path, so the sweep above does not find
// it: the drill-down, the people list, the print view and the exports are probed here. A manager
// of another agency must get 403/404 — or, at most, their own scope — never the victim agency's
// people or counts (its headcount is a marker no other agency has).
describe('the report and the staff list stay inside the manager’s subtree', () => {
  const reportPaths = (f: Fixture) => [
    `/reports?agency=${f.agencyId}`,
    `/reports/print?agency=${f.agencyId}`,
    `/reports.csv?agency=${f.agencyId}`,
    `/reports.xlsx?agency=${f.agencyId}`,
    ...['staff', 'enrolled', 'notCompleted'].map((metric) => `/reports/people?agency=${f.agencyId}&metric=${metric}&subtree=1`),
    `/reports/training?agency=${f.agencyId}&list=citizens`,
    `/reports/training.csv?agency=${f.agencyId}`,
    `/reports/training.xlsx?agency=${f.agencyId}`,
  ]
  // The staff list has no agency in its address: it is the viewer's scope, searched (folded, so
  // the typed query is not itself the marker). Their own scope is a rightful answer here.
  const STAFF_SEARCH = '/staff?q=nguyen%20thi%20huong'
  const markers = (f: Fixture) => [f.victimName, String(HEADCOUNT), HEADCOUNT.toLocaleString('vi-VN'), HEADCOUNT.toLocaleString('en-US')]

  it('its manager sees the agency (so the markers have teeth)', async () => {
    const report = (await readable(await people.victimManager.get(`/reports?agency=${fixture.agencyId}`))) ?? ''
    expect(markers(fixture).some((m) => report.includes(m)), 'the headcount shows in the report').toBe(true)
    const list = await people.victimManager.get(`/reports/people?agency=${fixture.agencyId}&metric=enrolled&subtree=1`)
    expect(list.status).toBe(200)
    expect(await readable(list)).toContain(fixture.victimName)
    expect(await readable(await people.victimManager.get(STAFF_SEARCH))).toContain(fixture.victimName)
  })

  for (const who of ['otherManager', 'otherLearner', 'teacher'] as const) {
    it(`${who}: 403/404 on the victim agency's report, people and exports; never its people or counts`, async () => {
      const problems: string[] = []
      for (const path of reportPaths(fixture)) {
        const response = await people[who].get(path)
        const text = (await readable(response)) ?? '(a file)'
        if (response.status !== 403 && response.status !== 404) problems.push(`${who} GET ${path}: HTTP ${response.status}`)
        for (const marker of markers(fixture)) if (text.includes(marker)) problems.push(`${who} GET ${path}: shows "${marker}"`)
      }
      const staff = await people[who].get(STAFF_SEARCH)
      if (![200, 403, 404].includes(staff.status)) problems.push(`${who} GET ${STAFF_SEARCH}: HTTP ${staff.status}`)
      if (((await readable(staff)) ?? '').includes(fixture.victimName)) problems.push(`${who} GET ${STAFF_SEARCH}: shows the victim`)
      expect(problems).toEqual([])
    })
  }
})

// A malformed parameter in the address is "not found" (the app's own 404 page), never a 500 from
// PostgreSQL rejecting it (app/utils/params.server.ts checks every parameter before any query).
// Each parameter of every route with one is replaced in turn by each malformed value, the others
// kept valid (taken from the route's own entry above), and fetched by the person who may see it.
describe('a malformed parameter in any address is a 404, never a 500', () => {
  // Malformed for an id (a uuid), though a slug or a token could be spelled so: those must only be refused (4xx).
  const NOT_UUIDS = [
    'a'.repeat(36), // passes a loose /^[0-9a-f-]{36}$/ and PostgreSQL rejects it as a uuid
    '00000000-0000-0000-0000-00000000000g',
  ]
  const MALFORMED = [
    "1' OR '1'='1",
    'Đặc-Biệt',
    'x'.repeat(300),
    '%00',
    '%E0%A4%A',
  ]
  /** Valid values for parameters whose routes have no owned path to take them from. */
  const DEFAULTS: Record<string, string> = { course: 'khoa-thu', lesson: 'bai-mot', token: 'a'.repeat(32), code: 'a'.repeat(26) }

  function validValues(route: (typeof withIds)[number], f: Fixture): { path: string; values: Record<string, string> } {
    const entry = IDOR[route.id]!
    const sample = entry.kind === 'owned' ? entry.path(f) : entry.probe?.(f)
    const values: Record<string, string> = { ...DEFAULTS }
    if (sample) {
      const re = new RegExp(`^${route.pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`)
      Object.assign(values, re.exec(sample)?.groups ?? {})
    }
    return { path: sample ?? route.pattern, values }
  }

  for (const route of withIds) {
    it(`${route.id}: every malformed ${route.params.map((p) => `:${p}`).join(', ')} answers 404`, async () => {
      const entry = IDOR[route.id]!
      const who: Person = entry.kind === 'owned' ? [entry.rightful].flat()[0]! : 'victim'
      const { values } = validValues(route, fixture)
      const problems: string[] = []
      for (const name of route.params) {
        const isId = /(^id|Id|^attempt)$/.test(name)
        for (const bad of [...NOT_UUIDS, ...MALFORMED]) {
          const mustBe404 = isId || MALFORMED.includes(bad)
          // Already percent-encoded values go in as they are; the others are encoded.
          const path = route.pattern.replace(/:(\w+)/g, (_, p: string) => (p === name ? (bad.startsWith('%') ? bad : encodeURIComponent(bad)) : encodeURIComponent(values[p]!)))
          const responses: Array<[string, Response]> = [['GET', await people[who].get(path)]]
          if (route.hasAction) responses.push(['POST', await people[who].post(path, { intent: 'confirm' })])
          for (const [method, response] of responses) {
            const text = await response.text()
            if (mustBe404 ? response.status !== 404 : response.status < 400 || response.status >= 500) problems.push(`${who} ${method} ${path}: HTTP ${response.status} ${text.slice(0, 120)}`)
            else if (!/[\u00C0-\u1EF9]/.test(text)) problems.push(`${who} ${method} ${path}: the ${response.status} does not say why in Vietnamese`)
            if (/\bat [\w.<>]+ \(|node_modules|PrismaClient|invalid input syntax/.test(text)) problems.push(`${who} ${method} ${path}: the answer shows internals`)
          }
        }
      }
      expect(problems).toEqual([])
    })
  }
})
