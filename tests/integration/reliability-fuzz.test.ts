// Reliability 1 — bad input over HTTP. Every POST route (found by reading app/routes: every route
// module that exports an action) gets the same battery through the real HTTP stack: each field
// oversized, with NUL bytes, in decomposed (NFD) Vietnamese mixed with NFC, repeated, as invalid
// UTF-8 (raw bytes and percent-encoded), missing, or a file; plus an empty body, a JSON body of
// wrong types, a megabyte of garbage and two thousand extra fields. Never a 5xx; a 4xx always says
// why in Vietnamese; and no row is added or removed anywhere (row counts of every table compared).
//
// TO ADD A ROUTE: add an entry to FUZZ below, keyed by the route id (its file name in app/routes
// without extension). Give the path (fill its params from the fixture `f`), who posts (`as`), a
// baseline form, and `reject: true` when every variant of that baseline must be refused with a
// 4xx — use a baseline that is already invalid or harmless (an unknown question, a wrong current
// password), so the battery never writes. `writes` lists tables a refused post may rightly add to
// (a failed sign-in is recorded). `why` explains a route whose every POST is an act with no input.
// `also` adds more baselines to the same route (another intent, another person), each given the
// whole battery; `json` is the baseline of a JSON endpoint: it gets the battery plus JSON variants
// (each field of a wrong type, huge, with a NUL, missing; broken, deep and non-object JSON).
import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { issueCertificate } from '~/modules/certificate/issue.server'
import { setContentStore } from '~/modules/content/service.server'
import { openPeriod } from '~/modules/periods/period.server'
import { startAttempt } from '~/modules/quiz/attempt.server'
import { startLearningContent } from '../setup/learning-fixture'
import { fillPattern, missingEntries, routeModules } from '../setup/routes'
import { Browser, startTestServer, type TestServer } from '../setup/test-server'

type Who = 'anonymous' | 'learner' | 'admin' | 'teacher' | 'newLearner' | 'otherNewLearner'

interface Fixture {
  learnerId: string
  attemptId: string
  /** A class of the demo teacher, with one student who signs in with a PIN. */
  classId: string
  pinStudentId: string
  pinHash: string
  /** A certificate of the demo learner's, not revoked. */
  certificateId: string
  /** The demo learner's agency (a commune). */
  agencyId: string
  /** A reporting period in which that commune must report (nothing submitted). */
  periodId: string
  /** An in-person training session of that commune (no attendee). */
  trainingSessionId: string
}

interface FuzzEntry {
  path: (f: Fixture) => string
  as: Who
  form: Record<string, string>
  /** Every variant must be refused with a 4xx (else: anything but a 5xx, e.g. a redirect to sign in)… */
  reject: boolean
  /** …except the variants whose label matches this: they may make the form valid (a name in NFD is a name). */
  accepts?: RegExp
  /** What must hold after the battery, e.g. that what was accepted was stored clean. Returns problems. */
  after?: (t: TestServer, f: Fixture) => Promise<string[]>
  /** Tables a refused post may add rows to, on purpose. */
  writes?: string[]
  why?: string
  /** More baselines for the same address, each fuzzed the same way. */
  also?: Array<{ as: Who; form: Record<string, string>; accepts?: RegExp; writes?: string[]; path?: (f: Fixture) => string }>
  /** A JSON endpoint's baseline (must be refused): its JSON variants are added to the battery. */
  json?: Record<string, unknown>
}

const VALID_NAME = 'Nguyễn Thị Hoa'
const FUZZ_CLASS_CODE = 'FZQ7K2'

export const FUZZ: Record<string, FuzzEntry> = {
  'account._index': {
    path: () => '/account',
    as: 'learner',
    form: { fullName: '', jobTitle: 'Cán bộ' },
    reject: true,
    accepts: /^(fullName|jobTitle): (NUL|NFD|control|repeated|invalid UTF-8)/,
    after: async (t, f) => {
      const user = await t.t.db.prisma.user.findUniqueOrThrow({ where: { id: f.learnerId } })
      return [user.fullName, user.jobTitle ?? '']
        .filter((v) => v !== v.normalize('NFC') || /[\p{Cc}\p{Cs}]/u.test(v) || v.length > 120)
        .map((v) => `stored unclean: ${JSON.stringify(v)}`)
    },
  },
  'account.password': {
    path: () => '/account/password',
    as: 'learner',
    form: { currentPassword: 'Sai-mat-khau-2026', password: 'Mat-khau-moi-2026!', passwordConfirm: 'Mat-khau-moi-2026!' },
    reject: true,
  },
  'account.sessions': {
    path: () => '/account/sessions',
    as: 'anonymous',
    form: {},
    reject: false,
    why: 'takes no input: every signed-in POST signs out everywhere (tests/integration/auth-session.test.ts); fuzzed anonymously: sent to sign in',
  },
  'admin.agencies._index': {
    path: () => '/admin/agencies',
    as: 'admin',
    // An agency type that does not exist: no variant may create an agency.
    form: { code: 'FUZZ-1', name: 'Xã Thử Nghiệm', type: 'KHONG_CO', parentId: '', headcountManual: '' },
    reject: true,
    // A learner posting a complete form.
    also: [{ as: 'learner', form: { code: 'FUZZ-2', name: 'Xã Thử Nghiệm', type: 'COMMUNE', parentId: '', headcountManual: '12' } }],
  },
  'admin.agencies.$agencyId': {
    path: (f) => `/admin/agencies/${f.agencyId}`,
    as: 'admin',
    // A merge without its confirmation: no variant may merge, move, rename or stop the agency.
    form: { intent: 'merge', targetId: '00000000-0000-4000-8000-000000000000', confirm: 'khong' },
    reject: true,
    also: [
      { as: 'admin', form: { intent: 'update', name: '', headcountManual: '-1' } },
      { as: 'learner', form: { intent: 'deactivate', confirm: 'yes' } },
    ],
    after: async (t, f) => {
      const agency = await t.t.db.prisma.agency.findUniqueOrThrow({ where: { id: f.agencyId } })
      return agency.status === 'ACTIVE' && agency.name === 'Xã Bắc Hà' && agency.headcountManual === null ? [] : [`the agency changed: ${agency.status} ${agency.name} ${agency.headcountManual}`]
    },
  },
  'admin.content': {
    path: () => '/admin/content',
    as: 'admin',
    // A reload without its confirmation, of a tree nobody previewed: no variant may reload.
    form: { intent: 'apply', hash: '0'.repeat(32) },
    reject: true,
    also: [
      { as: 'admin', form: { intent: 'apply', hash: '0'.repeat(32), confirm: 'yes' } },
      { as: 'learner', form: { intent: 'preview' } },
    ],
    after: async (t) => {
      const reloads = await t.t.db.prisma.auditLog.count({ where: { action: 'content.reload' } })
      return reloads === 0 ? [] : [`${reloads} content reloads`]
    },
  },
  'admin.reminders': {
    path: () => '/admin/reminders',
    as: 'admin',
    // Settings for an agency that does not exist, with a grace period out of range; a run without
    // its confirmation; a learner (no scope) saving settings for a real agency.
    form: { intent: 'settings', agencyId: '00000000-0000-4000-8000-000000000000', graceDays: '400' },
    reject: true,
    also: [
      { as: 'admin', form: { intent: 'run', confirm: 'khong' } },
      { as: 'learner', form: { intent: 'settings', agencyId: '00000000-0000-4000-8000-000000000001', graceDays: '3' } },
    ],
    after: async (t) => {
      const [settings, notifications] = [await t.t.db.prisma.agencyReminderSetting.count(), await t.t.db.prisma.notification.count()]
      return settings === 0 && notifications === 0 ? [] : [`reminder settings ${settings}, notifications ${notifications}`]
    },
  },
  'admin.users.$userId': {
    path: (f) => `/admin/users/${f.learnerId}`,
    as: 'admin',
    form: { intent: 'grant', role: 'KHONG_CO', agencyId: '' },
    reject: true,
    // Linking needs a configured provider (none here); unlinking an identity the person does not have.
    also: [
      { as: 'admin', form: { intent: 'identityLink', subject: 'vneid-khong-co' } },
      { as: 'admin', form: { intent: 'identityUnlink', identityId: '00000000-0000-0000-0000-000000000000', confirm: 'yes' } },
    ],
  },
  'auth.oidc': {
    path: () => '/auth/oidc',
    as: 'anonymous',
    form: { redirectTo: '/account' },
    reject: true,
    why: 'no OpenID Connect provider is configured here, so every POST stays a 404; the configured route is driven by tests/integration/oidc.test.ts',
  },
  'admin.certificates.$id': {
    path: (f) => `/admin/certificates/${f.certificateId}`,
    as: 'admin',
    // A reason that would do, without the confirmation box: no variant may revoke.
    form: { reason: 'Cấp nhầm cho người khác', confirm: 'khong' },
    reject: true,
    after: async (t, f) => {
      const c = await t.t.db.prisma.certificate.findUniqueOrThrow({ where: { id: f.certificateId } })
      return c.revokedAt === null && c.revokedReason === null ? [] : [`the certificate was revoked: ${c.revokedReason}`]
    },
  },
  notifications: {
    path: () => '/notifications',
    as: 'learner',
    // Marking read an id that is not one: nothing may change.
    form: { intent: 'read', id: 'khong-phai-ma' },
    reject: true,
  },
  'api.offline-progress': {
    path: () => '/api/offline-progress',
    // Someone not enrolled in the course: a refused mark must not enrol them either.
    as: 'newLearner',
    form: { id: 'fuzz-mark-0123456789', course: 'khoa-thu', lesson: 'khong-co' },
    json: { id: 'fuzz-mark-0123456789', course: 'khoa-thu', lesson: 'khong-co', doneAt: '2026-11-20T08:00:00+07:00' },
    reject: true,
  },
  'api.training-attendance': {
    path: () => '/api/training-attendance',
    // A citizen recorded offline with a year of birth out of range: nobody may be added.
    as: 'admin',
    form: { id: 'fuzz-citizen-0123456789', sessionId: '00000000-0000-4000-8000-000000000000' },
    json: { id: 'fuzz-citizen-0123456789', sessionId: '00000000-0000-4000-8000-000000000000', fields: { fullName: VALID_NAME, birthYear: '1850', village: 'Thôn Nậm Sài' } },
    reject: true,
  },
  assignments: {
    path: () => '/assignments',
    as: 'admin',
    // Deleting an assignment that does not exist, unconfirmed; then a course that does not exist.
    form: { intent: 'delete', id: '00000000-0000-4000-8000-000000000000', confirm: 'khong' },
    reject: true,
    also: [
      { as: 'admin', form: { courseId: '00000000-0000-4000-8000-000000000000', agencyId: '00000000-0000-4000-8000-000000000000', jobTitles: 'Công chức', dueAt: '2026-12-31' } },
      { as: 'learner', form: { courseId: '00000000-0000-4000-8000-000000000000', agencyId: '00000000-0000-4000-8000-000000000000', jobTitles: '', dueAt: '2026-12-31' } },
    ],
  },
  'classes.$classId._index': {
    path: (f) => `/classes/${f.classId}`,
    as: 'teacher',
    // A lesson the course does not have: no variant may assign anything.
    form: { intent: 'assign', target: 'khoa-thu/khong-co', due: '2026-12-31' },
    reject: true,
    // A PIN reset for someone who is not in the class; a class of a teacher posted to by a learner.
    also: [
      { as: 'teacher', form: { intent: 'reset-pin', user: '00000000-0000-4000-8000-000000000000' } },
      { as: 'learner', form: { intent: 'archive' } },
    ],
    after: async (t, f) => {
      const problems: string[] = []
      const cls = await t.t.db.prisma.class.findUniqueOrThrow({ where: { id: f.classId } })
      if (cls.archivedAt) problems.push('the class was archived')
      const member = await t.t.db.prisma.classMember.findFirstOrThrow({ where: { classId: f.classId, userId: f.pinStudentId } })
      if (member.pinHash !== f.pinHash) problems.push("the student's PIN changed")
      return problems
    },
  },
  'classes.new': {
    path: () => '/classes/new',
    as: 'teacher',
    // A school that does not exist: no variant may create a class.
    form: { name: 'Lớp 9A — Tin học', schoolId: '00000000-0000-4000-8000-000000000000' },
    reject: true,
    also: [{ as: 'learner', form: { name: 'Lớp 9A — Tin học', schoolId: '00000000-0000-4000-8000-000000000000' } }],
  },
  join: {
    path: () => '/join',
    as: 'anonymous',
    // Joining with a name and PIN typed twice differently: no variant may create a student.
    form: { intent: 'join-pin', code: FUZZ_CLASS_CODE, fullName: VALID_NAME, pin: '482915', pinAgain: '482916' },
    reject: true,
    also: [
      // Signing in with a PIN that is wrong: failures are recorded (throttling), as for passwords.
      { as: 'anonymous', form: { intent: 'signin-pin', code: FUZZ_CLASS_CODE, fullName: 'Sùng A Páo', pin: '000000' }, writes: ['login_attempt', 'audit_log'] },
      // A signed-in learner joining with a code no class has.
      { as: 'learner', form: { intent: 'join-account', code: 'ZZZZZZ' } },
    ],
  },
  'courses.$course._index': { path: () => '/courses/khoa-thu', as: 'learner', form: { intent: 'khong-co' }, reject: true },
  'courses.$course.$lesson': {
    path: () => '/courses/khoa-thu/bai-mot',
    as: 'learner',
    form: { question: 'khong-co', answer: 'a' },
    reject: true,
    // "Done" for a lesson the course does not have, by someone not enrolled: must not enrol them.
    also: [{ as: 'otherNewLearner', path: () => '/courses/khoa-thu/khong-co', form: { intent: 'done' } }],
  },
  'courses.$course.quiz._index': {
    path: () => '/courses/khong-co-khoa-nay/quiz',
    as: 'learner',
    form: {},
    reject: true,
    why: 'takes no input (starting an attempt); fuzzed on an unknown course, which must stay a 404',
  },
  'courses.$course.quiz.$attempt': {
    path: (f) => `/courses/khoa-thu/quiz/${f.attemptId}`,
    as: 'learner',
    form: { intent: 'save', 'q.khong-co': 'a' },
    reject: true,
    // Saving no answer is a valid save (Enter pressed on an empty form), and writes nothing.
    accepts: /^(empty body|one megabyte|q\.khong-co: (missing|a file)|intent: )/,
  },
  language: { path: () => '/language', as: 'anonymous', form: { lang: 'xx', redirectTo: '/' }, reject: true },
  login: { path: () => '/login', as: 'anonymous', form: { identifier: 'khong-co@example.com', password: 'Sai-mat-khau' }, reject: true, writes: ['login_attempt', 'audit_log'] },
  logout: { path: () => '/logout', as: 'anonymous', form: {}, reject: false, why: 'takes no input; anonymous: sent to the sign-in page' },
  'reports.periods._index': {
    path: () => '/reports/periods',
    as: 'admin',
    // A kind of period that does not exist: no variant may open a period.
    form: { kind: 'KHONG_CO', year: '2026', number: '4', dueOn: '2027-01-10', agencyTypes: 'COMMUNE', subtreeRootId: '' },
    reject: true,
    also: [{ as: 'learner', form: { kind: 'QUARTER', year: '2027', number: '1', dueOn: '2027-04-10', agencyTypes: 'COMMUNE', subtreeRootId: '' } }],
  },
  'reports.periods.$periodId.$agencyId': {
    path: (f) => `/reports/periods/${f.periodId}/${f.agencyId}`,
    as: 'admin',
    // A submit without its confirmation; then an approval of a version that does not exist.
    form: { intent: 'submit', narrative: 'Thuyết minh của xã', confirm: 'khong' },
    reject: true,
    also: [
      { as: 'admin', form: { intent: 'approve', version: '7' } },
      { as: 'admin', form: { intent: 'return', version: '7', reason: 'Trả lại để thử' } },
      { as: 'learner', form: { intent: 'save', narrative: 'Nháp của người học' } },
    ],
    after: async (t, f) => {
      const report = await t.t.db.prisma.periodReport.findFirstOrThrow({ where: { periodId: f.periodId, agencyId: f.agencyId } })
      return report.status === 'OPEN' && report.version === 0 && report.narrativeDraft === '' ? [] : [`the report changed: ${report.status} v${report.version} ${report.narrativeDraft.slice(0, 40)}`]
    },
  },
  'reports.plans': {
    path: () => '/reports/plans',
    as: 'admin',
    // A target over 100 %: no variant may set a plan.
    form: { agencyId: '00000000-0000-4000-8000-000000000000', year: '2026', targetPercent: '101', courseIds: '', dueOn: '2026-12-31' },
    reject: true,
    also: [{ as: 'learner', form: { agencyId: '00000000-0000-4000-8000-000000000000', year: '2026', targetPercent: '90', dueOn: '2026-12-31' } }],
  },
  'reset-password.$token': { path: () => '/reset-password/khong-hop-le', as: 'anonymous', form: { password: 'Mat-khau-moi-2026!', passwordConfirm: 'khac-hoan-toan' }, reject: true },
  'staff.import._index': {
    path: () => '/staff/import',
    as: 'admin',
    // A roster is a file: as a text field, or as a file of a type not taken (a.txt), it is refused.
    form: { file: 'Mã cán bộ,Họ và tên,Mã đơn vị' },
    reject: true,
    also: [{ as: 'learner', form: { file: 'Mã cán bộ,Họ và tên,Mã đơn vị' } }],
  },
  'staff.import.$importId': {
    path: () => '/staff/import/00000000-0000-4000-8000-000000000000',
    as: 'admin',
    // An import that does not exist: nothing to confirm or cancel.
    form: { intent: 'confirm' },
    reject: true,
    also: [{ as: 'admin', form: { intent: 'cancel' } }],
  },
  'training.new': {
    path: () => '/training/new',
    as: 'admin',
    // Two reasons at once (the end before the start, no minutes): no variant may create a session.
    form: { agencyId: '', startsOn: '2026-11-20', endsOn: '2026-11-19', commune: 'Xã Bắc Hà', village: 'Thôn Nậm Sài', trainers: '', courseSlug: '', topic: 'Dùng VNeID', minutes: '0' },
    reject: true,
    also: [{ as: 'learner', form: { agencyId: '', startsOn: '2026-11-20', endsOn: '2026-11-20', commune: 'Xã Bắc Hà', village: '', trainers: '', courseSlug: '', topic: 'Dùng VNeID', minutes: '90' } }],
  },
  'training.$sessionId._index': {
    path: (f) => `/training/${f.trainingSessionId}`,
    as: 'admin',
    // A citizen with neither a year of birth in range nor a village: nobody may be added.
    form: { intent: 'add-citizen', fullName: VALID_NAME, birthYear: '1850', village: '', phone: '', gender: '', ethnicity: '' },
    reject: true,
    also: [
      // (Removing, adding staff or an account: the IDOR sweep and tests/integration/training-pages.test.ts.)
      { as: 'learner', form: { intent: 'add-citizen', fullName: VALID_NAME, birthYear: '1990', village: 'Thôn Nậm Sài', phone: '', gender: '', ethnicity: '' } },
      // A pass score above the highest (each variant leaves it invalid or half-set): no variant may set a check.
      // Scores on a session without a check: refused.
      { as: 'admin', form: { intent: 'set-check', checkMaxScore: '10', checkPassScore: '11' } },
      { as: 'admin', form: { intent: 'record-scores', 'score-00000000-0000-4000-8000-000000000000': '5' } },
    ],
  },
  'training.$sessionId.import._index': {
    path: (f) => `/training/${f.trainingSessionId}/import`,
    as: 'admin',
    // A sheet is a file: as a text field, or as a file of a type not taken (a.txt), it is refused.
    form: { file: 'Họ và tên,Năm sinh,Thôn' },
    reject: true,
    also: [{ as: 'learner', form: { file: 'Họ và tên,Năm sinh,Thôn' } }],
  },
  'training.$sessionId.import.$importId': {
    path: (f) => `/training/${f.trainingSessionId}/import/00000000-0000-4000-8000-000000000000`,
    as: 'admin',
    // An import that does not exist: nothing to confirm or cancel.
    form: { intent: 'confirm' },
    reject: true,
    also: [{ as: 'admin', form: { intent: 'cancel' } }],
  },
  signup: {
    path: () => '/signup',
    as: 'anonymous',
    // Invalid as a whole (the passwords differ), so no variant may create anyone.
    form: { fullName: VALID_NAME, identifier: 'hoa.fuzz@example.com', password: 'Mat-khau-moi-2026!', passwordConfirm: 'khac', kind: 'CITIZEN', agencyId: '', jobTitle: '' },
    reject: true,
  },
}

interface Variant {
  label: string
  body: Buffer | string
  contentType: string
}

const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString()
const FORM = 'application/x-www-form-urlencoded'

// The large bodies, made once (a variant list is made for every baseline of every route).
const GARBAGE_1MB = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 256))
const NINE_MB = Buffer.alloc(9 << 20, 0x61)

function variants(baseline: Record<string, string>): Variant[] {
  const entries = Object.entries(baseline)
  const out: Variant[] = []
  const replace = (name: string, values: string[]) => entries.flatMap(([k, v]) => (k === name ? values.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]))
  for (const [name] of entries) {
    out.push({ label: `${name}: 100 000 characters`, body: form(replace(name, ['ạ'.repeat(100_000)])), contentType: FORM })
    out.push({ label: `${name}: NUL bytes`, body: form(replace(name, ['Nguy\u0000ễn\u0000'])), contentType: FORM })
    out.push({ label: `${name}: NFD mixed with NFC`, body: form(replace(name, [`${VALID_NAME.normalize('NFD')} ${VALID_NAME}`])), contentType: FORM })
    out.push({ label: `${name}: control characters and a lone surrogate`, body: form(replace(name, ['\u0007\u001b[2J\ud800'])), contentType: FORM })
    out.push({ label: `${name}: repeated`, body: form(replace(name, ['a', 'b', 'c'])), contentType: FORM })
    out.push({ label: `${name}: missing`, body: form(entries.filter(([k]) => k !== name)), contentType: FORM })
    out.push({ label: `${name}: invalid UTF-8, percent-encoded`, body: `${form(entries.filter(([k]) => k !== name))}&${encodeURIComponent(name)}=%C3%28%FF%FE`, contentType: FORM })
    const rest = form(entries.filter(([k]) => k !== name))
    out.push({ label: `${name}: invalid UTF-8, raw bytes`, body: Buffer.concat([Buffer.from(`${rest}${rest ? '&' : ''}${encodeURIComponent(name)}=`), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80])]), contentType: FORM })
    const boundary = '----banso-fuzz'
    const parts = entries
      .map(([k, v]) =>
        k === name
          ? `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${v}\r\n`
          : `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      )
      .join('')
    out.push({ label: `${name}: a file instead of text (multipart)`, body: `${parts}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` })
  }
  out.push({ label: 'empty body', body: '', contentType: FORM })
  out.push({ label: 'JSON of wrong types', body: JSON.stringify(Object.fromEntries(entries.map(([k]) => [k, [1, { a: null }]]))), contentType: 'application/json' })
  out.push({ label: 'one megabyte of garbage bytes', body: GARBAGE_1MB, contentType: FORM })
  out.push({ label: 'nine megabytes (over the 8 MB limit)', body: NINE_MB, contentType: FORM })
  out.push({ label: '2 000 extra fields', body: form([...entries, ...Array.from({ length: 2000 }, (_, i) => [`x${i}`, 'y'] as [string, string])]), contentType: FORM })
  out.push({ label: 'broken multipart', body: '--nope\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', contentType: 'multipart/form-data; boundary=khac' })
  return out
}

function jsonVariants(baseline: Record<string, unknown>): Variant[] {
  const JSON_TYPE = 'application/json'
  const out: Variant[] = [{ label: 'JSON: the baseline', body: JSON.stringify(baseline), contentType: JSON_TYPE }]
  const bad: Array<[string, unknown]> = [
    ['a number', 1e308],
    ['null', null],
    ['an array', ['a', 'b']],
    ['an object', { $gt: '' }],
    ['true', true],
    ['100 000 characters', 'ạ'.repeat(100_000)],
    ['a NUL', 'a\u0000b'],
    ['a lone surrogate', '\ud800'],
    ['NFD Vietnamese', VALID_NAME.normalize('NFD')],
    ['an SQL quote', "x' OR '1'='1"],
    ['a path', '../../etc/passwd'],
  ]
  for (const key of Object.keys(baseline)) {
    for (const [what, value] of bad) out.push({ label: `JSON ${key}: ${what}`, body: JSON.stringify({ ...baseline, [key]: value }), contentType: JSON_TYPE })
    const { [key]: _, ...rest } = baseline
    out.push({ label: `JSON ${key}: missing`, body: JSON.stringify(rest), contentType: JSON_TYPE })
  }
  out.push({ label: 'JSON id: 64 characters (the most allowed) of a mark never seen, unknown lesson', body: JSON.stringify({ ...baseline, id: 'z'.repeat(64) }), contentType: JSON_TYPE })
  out.push({ label: 'JSON id: 65 characters', body: JSON.stringify({ ...baseline, id: 'z'.repeat(65) }), contentType: JSON_TYPE })
  out.push({ label: 'JSON id: a million characters', body: JSON.stringify({ ...baseline, id: 'z'.repeat(1_000_000) }), contentType: JSON_TYPE })
  out.push({ label: 'JSON course: unknown', body: JSON.stringify({ ...baseline, course: 'khong-co-khoa-nay' }), contentType: JSON_TYPE })
  out.push({ label: 'JSON doneAt: a day that does not exist', body: JSON.stringify({ ...baseline, doneAt: '2026-02-31T08:00:00Z' }), contentType: JSON_TYPE })
  out.push({ label: 'JSON doneAt: year 9999', body: JSON.stringify({ ...baseline, doneAt: '9999-12-31T23:59:59Z' }), contentType: JSON_TYPE })
  out.push({ label: 'JSON doneAt: year 0000', body: JSON.stringify({ ...baseline, doneAt: '0000-01-01T00:00:00Z' }), contentType: JSON_TYPE })
  out.push({ label: 'JSON: extra keys', body: JSON.stringify({ ...baseline, userId: '00000000-0000-4000-8000-000000000000', __proto__x: 1 }), contentType: JSON_TYPE })
  out.push({ label: 'JSON: the key twice', body: `${JSON.stringify(baseline).slice(0, -1)},"lesson":"bai-mot","lesson":"khong-co"}`, contentType: JSON_TYPE })
  out.push({ label: 'JSON: truncated', body: JSON.stringify(baseline).slice(0, 20), contentType: JSON_TYPE })
  out.push({ label: 'JSON: null', body: 'null', contentType: JSON_TYPE })
  out.push({ label: 'JSON: an array of the baseline', body: JSON.stringify([baseline]), contentType: JSON_TYPE })
  out.push({ label: 'JSON: a string', body: '"khoa-thu"', contentType: JSON_TYPE })
  out.push({ label: 'JSON: nested 100 000 deep', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, contentType: JSON_TYPE })
  out.push({ label: 'JSON: a byte order mark first', body: `\ufeff${JSON.stringify(baseline)}`, contentType: JSON_TYPE })
  out.push({ label: 'JSON: invalid UTF-8 inside a string', body: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","course":"khoa-thu","lesson":"khong-co","doneAt":"2026-11-20T08:00:00Z"}')]), contentType: JSON_TYPE })
  return out
}

/** A letter only Vietnamese has: the answer says why in Vietnamese. */
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i

let server: TestServer
const dirs: string[] = []
const NEW_PASSWORD = 'Nguoi-moi-2026!'
const fixture = {} as Fixture
const browsers = {} as Record<Who, Browser>

async function rowCounts(): Promise<Record<string, number>> {
  return server.t.db.withConnection(async (sql) => {
    const tables = await sql.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
    const counts: Record<string, number> = {}
    // The rate limiter counts every POST (that is its job, not the route's): its counters are not a route's write.
    for (const { name } of tables.filter((t) => t.name !== 'rate_limit_counter')) counts[name] = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`))[0]!.n
    return counts
  })
}

/** One POST on a connection of its own (a server that answers before reading a big body may close it). */
async function rawPost(browser: Browser, path: string, v: Variant): Promise<{ status: number; text: string }> {
  const headers: Record<string, string | number> = { 'Content-Type': v.contentType, Origin: browser.base, 'Content-Length': Buffer.byteLength(v.body) }
  const cookie = [...browser.cookies].map(([k, value]) => `${k}=${value}`).join('; ')
  if (cookie) headers.Cookie = cookie
  return new Promise((resolve, reject) => {
    const request = http.request(browser.base + path, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (c: Buffer) => chunks.push(c))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    // The server may answer (a redirect, a 413) and close before it has read a large body: an
    // EPIPE then is fine as long as the answer arrives; no answer at all is a failure.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    request.on('close', () => setTimeout(() => reject(new Error(`${v.label}: connection closed without an answer`)), 2000).unref())
    request.end(v.body)
  })
}

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
  const prisma = server.t.db.prisma
  fixture.learnerId = (await prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
  fixture.attemptId = (await startAttempt({ userId: fixture.learnerId, courseSlug: 'khoa-thu' }, prisma)).attemptId
  // A certificate of the learner's (a passed attempt and its completion).
  const course = await prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
  const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId: fixture.learnerId, courseId: course.id } })
  const passed = await prisma.quizAttempt.create({ data: { enrolmentId: enrolment.id, userId: fixture.learnerId, courseId: course.id, number: 2, draw: {}, contentVersion: '1.0.0', status: 'SUBMITTED', passed: true, scorePercent: 100, submittedAt: new Date() } })
  const completion = await prisma.courseCompletion.create({ data: { enrolmentId: enrolment.id, attemptId: passed.id } })
  fixture.certificateId = (await prisma.$transaction((tx) => issueCertificate(tx, completion.id))).id
  // A class of the demo teacher with a student who signs in with a PIN.
  const teacher = await prisma.user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })
  const school = await prisma.agency.findUniqueOrThrow({ where: { code: 'MAU-THCS-BACHA' } })
  fixture.classId = (await prisma.class.create({ data: { name: 'Lớp 8A — Tin học', schoolId: school.id, teacherId: teacher.id, joinCode: FUZZ_CLASS_CODE } })).id
  const student = await prisma.user.create({ data: { fullName: 'Sùng A Páo', kind: 'STUDENT', agencyId: school.id, ...userKeys({ fullName: 'Sùng A Páo' }) } })
  fixture.pinStudentId = student.id
  fixture.pinHash = await hashPassword('482915')
  await prisma.classMember.create({ data: { classId: fixture.classId, userId: student.id, pinHash: fixture.pinHash } })
  // Two people with no enrolment at all (one per route that could enrol by mistake).
  const agency = await prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
  fixture.agencyId = agency.id
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })
  fixture.periodId = (
    await openPeriod(prisma, { id: admin.id, roles: [{ role: 'ADMIN', agencyId: null }] }, { kind: 'YEAR', year: 2026, number: 1, dueOn: '2099-01-10', agencyTypes: ['COMMUNE'], subtreeRootId: null })
  ).id
  fixture.trainingSessionId = (
    await prisma.trainingSession.create({ data: { agencyId: agency.id, startsOn: new Date('2026-11-20T00:00:00Z'), endsOn: new Date('2026-11-20T00:00:00Z'), commune: 'Xã Bắc Hà', topic: 'Dùng VNeID', minutes: 90 } })
  ).id
  for (const email of ['moi@fuzz.example', 'moi-khac@fuzz.example']) {
    await prisma.user.create({ data: { email, fullName: 'Người Mới', kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash: await hashPassword(NEW_PASSWORD), ...userKeys({ fullName: 'Người Mới', email }) } })
  }
  browsers.anonymous = new Browser(server.base)
  browsers.teacher = new Browser(server.base)
  expect((await browsers.teacher.signIn('giaovien@banso.example', 'GiaoVien@2026')).status).toBe(303)
  browsers.newLearner = new Browser(server.base)
  expect((await browsers.newLearner.signIn('moi@fuzz.example', NEW_PASSWORD)).status).toBe(303)
  browsers.otherNewLearner = new Browser(server.base)
  expect((await browsers.otherNewLearner.signIn('moi-khac@fuzz.example', NEW_PASSWORD)).status).toBe(303)
  browsers.learner = new Browser(server.base)
  expect((await browsers.learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
  browsers.admin = new Browser(server.base)
  expect((await browsers.admin.signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(303)
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const actionRoutes = routeModules().filter((r) => r.hasAction)
// The battery takes minutes; reliability-fuzz-part2/3/4.test.ts run this file again (each with its
// own server and database) for a quarter of the routes each, so the four run in parallel Vitest
// workers instead of one file being the run's last minutes.
const FUZZ_PARTS = 4
const fuzzPart = (globalThis as { __bansoFuzzPart?: number }).__bansoFuzzPart ?? 0

describe('HTTP fuzz of every POST route', () => {
  // Once, in the first half (not registered in the second: the count of tests stays the same).
  if (fuzzPart === 0) {
    it('knows every route that takes a POST (routes are found in app/routes)', () => {
      expect(actionRoutes.length).toBeGreaterThanOrEqual(12)
      expect(missingEntries(actionRoutes, FUZZ, 'FUZZ (tests/integration/reliability-fuzz.test.ts)')).toEqual([])
      const stale = Object.keys(FUZZ).filter((id) => !actionRoutes.some((r) => r.id === id))
      expect(stale, 'entries for routes that no longer take a POST').toEqual([])
    })
  }

  for (const [index, route] of actionRoutes.entries()) {
    if (index % FUZZ_PARTS !== fuzzPart) continue
    const entry = FUZZ[route.id]
    it.skipIf(!entry)(`${route.id}: never a 5xx, a clear 4xx, nothing written`, async () => {
      const path = entry!.path(fixture)
      expect(fillPattern(route.pattern, Object.fromEntries(route.params.map((p) => [p, 'x']))).split('/').length).toBe(path.split('/').length)
      const problems: string[] = []
      const runs = [
        { as: entry!.as, form: entry!.form, accepts: entry!.accepts, writes: entry!.writes, json: entry!.json, path },
        ...(entry!.also ?? []).map((a) => ({ ...a, json: undefined, path: a.path?.(fixture) ?? path })),
      ]
      for (const run of runs) {
        const before = await rowCounts()
        const who = `${run.as} ${run.path} ${Object.entries(run.form).map(([k, v]) => `${k}=${v}`).join('&').slice(0, 60)}`
        for (const v of [...variants(run.form), ...(run.json ? jsonVariants(run.json) : [])]) {
          const { status, text } = await rawPost(browsers[run.as], run.path, v)
          if (status >= 500) problems.push(`${who} — ${v.label}: HTTP ${status} ${text.slice(0, 200)}`)
          else if (v.label.startsWith('nine megabytes') && status !== 413) problems.push(`${who} — ${v.label}: HTTP ${status}, expected 413`)
          else if (entry!.reject && status < 400 && !run.accepts?.test(v.label)) problems.push(`${who} — ${v.label}: HTTP ${status}, expected a 4xx`)
          else if (status >= 400 && !VIETNAMESE.test(text)) problems.push(`${who} — ${v.label}: HTTP ${status} without a Vietnamese message: ${text.slice(0, 200)}`)
        }
        const after = await rowCounts()
        for (const table of Object.keys(after)) {
          if (run.writes?.includes(table)) continue
          if (after[table] !== before[table]) problems.push(`${who} — table ${table}: ${before[table]} rows before, ${after[table]} after`)
        }
      }
      if (entry!.after) problems.push(...(await entry!.after(server, fixture)))
      expect(problems).toEqual([])
      // A route's battery is a few hundred requests (some of megabytes): 20 to 70 s on two busy
      // cores beside the browser tests; the limit only stops a hung run.
    }, 300_000)
  }
})
