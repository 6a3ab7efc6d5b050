// Reliability 1 — property-based fuzzing (fast-check) of every Zod schema in app/modules/*/schema.ts.
// Found by importing those files, so a new schema is fuzzed or the test names it:
// - whatever arrives (any keys, any Unicode, arrays, numbers, nothing), parsing never throws: it
//   succeeds or returns a typed failure whose every message is a known message key;
// - what a form schema accepts can be stored: no NUL (PostgreSQL refuses it), names in NFC.
//
// TO ADD A SCHEMA: add `<module>.<export>` to SCHEMAS with the fields a form sends (so the
// arbitrary inputs hit real fields as well as junk) and how its messages are checked.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { vi as viMessages } from '~/locales/vi'

type Messages = 'auth' | 'classes' | 'reports' | 'import' | 'periods' | 'zod-default' | 'content' | 'training' | 'reload'

interface SchemaEntry {
  /** Field names a real form sends. */
  fields: string[]
  /** Where failure messages come from: message keys of auth.errors, classes.errors, reports.errors or reports.import, or Zod's/content's own text. */
  messages: Messages
  /** Content-file schemas are not forms: only "never throws" applies. */
  form: boolean
}

const SCHEMAS: Record<string, SchemaEntry> = {
  'training.SessionSchema': { fields: ['agencyId', 'startsOn', 'endsOn', 'commune', 'village', 'trainers', 'courseSlug', 'topic', 'minutes', 'lessons', 'checkMaxScore', 'checkPassScore'], messages: 'training', form: true },
  'training.CheckSettingsSchema': { fields: ['checkMaxScore', 'checkPassScore'], messages: 'training', form: true },
  'training.ScoresSchema': { fields: ['score-00000000-0000-4000-8000-000000000001', 'score-00000000-0000-4000-8000-000000000002', 'intent'], messages: 'training', form: true },
  'training.CitizenSchema': { fields: ['fullName', 'birthYear', 'village', 'phone', 'gender', 'ethnicity'], messages: 'training', form: true },
  'training.AddStaffSchema': { fields: ['staffRecordId'], messages: 'training', form: true },
  'training.AddAccountSchema': { fields: ['userId'], messages: 'training', form: true },
  'training.RemoveAttendeeSchema': { fields: ['attendeeId', 'confirm'], messages: 'training', form: true },
  'training.ImportDecisionSchema': { fields: ['intent'], messages: 'training', form: true },
  'auth.SignupSchema': { fields: ['fullName', 'identifier', 'password', 'passwordConfirm', 'kind', 'agencyId', 'jobTitle'], messages: 'auth', form: true },
  'auth.LoginSchema': { fields: ['identifier', 'password'], messages: 'auth', form: true },
  'auth.ChangePasswordSchema': { fields: ['currentPassword', 'password', 'passwordConfirm'], messages: 'auth', form: true },
  'auth.ResetPasswordSchema': { fields: ['password', 'passwordConfirm'], messages: 'auth', form: true },
  'auth.ProfileSchema': { fields: ['fullName', 'jobTitle'], messages: 'auth', form: true },
  'auth.SearchQuerySchema': { fields: [], messages: 'auth', form: true },
  'auth.UserAdminActionSchema': { fields: ['intent', 'role', 'agencyId', 'grantId', 'proposalId', 'decision'], messages: 'auth', form: true },
  'auth.LinkDecisionSchema': { fields: ['intent', 'proposalId', 'decision'], messages: 'auth', form: true },
  'auth.fullName': { fields: [], messages: 'auth', form: true },
  'auth.identifier': { fields: [], messages: 'auth', form: true },
  'auth.newPassword': { fields: [], messages: 'auth', form: true },
  'classes.CreateClassSchema': { fields: ['name', 'schoolId'], messages: 'classes', form: true },
  'classes.JoinWithPinSchema': { fields: ['code', 'fullName', 'pin', 'pinAgain'], messages: 'classes', form: true },
  'classes.PinSignInSchema': { fields: ['code', 'fullName', 'pin'], messages: 'classes', form: true },
  'classes.JoinWithAccountSchema': { fields: ['code'], messages: 'classes', form: true },
  'classes.AssignSchema': { fields: ['target', 'due'], messages: 'classes', form: true },
  'agency.CreateAgencySchema': { fields: ['code', 'name', 'type', 'parentId', 'headcountManual'], messages: 'reports', form: true },
  'agency.AgencyActionSchema': { fields: ['intent', 'name', 'headcountManual', 'parentId', 'targetId', 'confirm'], messages: 'reports', form: true },
  // Query-string filters: a failure names the field (parseReportFilters), the page answers 400.
  'report.ReportFiltersSchema': { fields: ['agency', 'course', 'from', 'to', 'type'], messages: 'zod-default', form: true },
  'report.PeopleQuerySchema': { fields: ['agency', 'metric', 'subtree'], messages: 'zod-default', form: true },
  'quiz.AttemptForm': { fields: ['intent', 'q.cau-mot', 'q.cau-hai'], messages: 'zod-default', form: true },
  'roster.ImportActionSchema': { fields: ['intent', 'confirm'], messages: 'import', form: true },
  'content.CourseFrontmatter': { fields: ['title', 'summary', 'audience', 'topic', 'level'], messages: 'content', form: false },
  'content.LessonFrontmatter': { fields: ['title', 'summary', 'minutes', 'standards'], messages: 'content', form: false },
  'content.Topics': { fields: [], messages: 'content', form: false },
  // Periodic reports (docs/decisions/020): every message is a key of periods.errors.
  'periods.OpenPeriodSchema': { fields: ['kind', 'year', 'number', 'dueOn', 'agencyTypes', 'subtreeRootId'], messages: 'periods', form: true },
  'periods.PlanSchema': { fields: ['agencyId', 'year', 'targetPercent', 'courseIds', 'dueOn'], messages: 'periods', form: true },
  'periods.NarrativeSchema': { fields: ['narrative'], messages: 'periods', form: true },
  'periods.SubmitSchema': { fields: ['narrative', 'confirm'], messages: 'periods', form: true },
  'periods.ReviewSchema': { fields: ['intent', 'version', 'reason'], messages: 'periods', form: true },
  'content.Question': { fields: ['id', 'type', 'prompt', 'options', 'answer'], messages: 'content', form: false },
  'content.QuestionFile': { fields: [], messages: 'content', form: false },
  'content.ReloadForm': { fields: ['intent', 'confirm', 'hash'], messages: 'reload', form: true },
  'content.FinalQuiz': { fields: ['draw', 'timeLimitMinutes', 'attemptsAllowed', 'showAnswers'], messages: 'content', form: false },
}

/** Runs per schema; raise it (FUZZ_RUNS=20000) to hunt for rare holes before they turn up in CI. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300)

const modulesDir = path.resolve('app/modules')
const schemaFiles = fs
  .readdirSync(modulesDir)
  .filter((m) => fs.existsSync(path.join(modulesDir, m, 'schema.ts')))
  .sort()

async function discover(): Promise<Map<string, z.ZodTypeAny>> {
  const found = new Map<string, z.ZodTypeAny>()
  for (const module of schemaFiles) {
    const exports = (await import(path.join(modulesDir, module, 'schema.ts'))) as Record<string, unknown>
    for (const [name, value] of Object.entries(exports)) if (value instanceof z.ZodType) found.set(`${module}.${name}`, value)
  }
  return found
}

// Values as they arrive from the wire, and worse: Vietnamese in NFC and NFD, NULs, controls, huge.
const vietnamese = fc.constantFrom('Nguyễn Thị Hoa', 'Đặng Văn Lâm'.normalize('NFD'), 'Lào Cai', 'mật khẩu', 'hocvien@banso.example', '0912 345 678', '+84912345678')
const nasty = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ' ', '', 'x'.repeat(5000))
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), vietnamese, nasty)
const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant({ a: 1 }))

function inputFor(entry: SchemaEntry) {
  const keys = fc.oneof(fc.constantFrom(...(entry.fields.length ? entry.fields : ['x'])), fc.string({ maxLength: 8 }))
  if (entry.fields.length === 0) return value
  return fc.dictionary(keys, value, { maxKeys: entry.fields.length + 3 })
}

const authKeys = new Set(Object.keys(viMessages.auth.errors))
const classKeys = new Set(Object.keys(viMessages.classes.errors))
const reportKeys = new Set(Object.keys(viMessages.reports.errors))
const importKeys = new Set(Object.keys(viMessages.reports.import))
const periodKeys = new Set(Object.keys(viMessages.periods.errors))
const trainingKeys = new Set(Object.keys(viMessages.training.errors))
const reloadKeys = new Set(Object.keys(viMessages.content.reload.errors))

/** Every string anywhere inside a parsed value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)])
  return []
}

describe('every schema in app/modules/*/schema.ts, fuzzed', async () => {
  const schemas = await discover()

  it('knows every schema (found by importing the files)', () => {
    expect(schemas.size).toBeGreaterThanOrEqual(10)
    const missing = [...schemas.keys()].filter((k) => !(k in SCHEMAS))
    expect(missing.map((k) => `${k} has no entry in SCHEMAS (app/modules/schemas.fuzz.test.ts): add one`)).toEqual([])
    expect(Object.keys(SCHEMAS).filter((k) => !schemas.has(k)), 'entries for schemas that are gone').toEqual([])
  })

  for (const [name, entry] of Object.entries(SCHEMAS)) {
    it(`${name}: never throws; a failure is typed; what passes can be stored`, () => {
      const schema = schemas.get(name)
      if (!schema) return // reported by the test above
      fc.assert(
        fc.property(inputFor(entry), (raw) => {
          const result = schema.safeParse(raw)
          if (!result.success) {
            expect(result.error.issues.length).toBeGreaterThan(0)
            for (const issue of result.error.issues) {
              expect(typeof issue.message).toBe('string')
              if (entry.messages === 'auth') expect(authKeys, `${name}: message "${issue.message}" is not a key of auth.errors`).toContain(issue.message)
              if (entry.messages === 'reports') expect(reportKeys, `${name}: message "${issue.message}" is not a key of reports.errors`).toContain(issue.message)
              if (entry.messages === 'import') expect(importKeys, `${name}: message "${issue.message}" is not a key of reports.import`).toContain(issue.message)
              if (entry.messages === 'periods') expect(periodKeys, `${name}: message "${issue.message}" is not a key of periods.errors`).toContain(issue.message)
              if (entry.messages === 'training') expect(trainingKeys, `${name}: message "${issue.message}" is not a key of training.errors`).toContain(issue.message)
              if (entry.messages === 'reload') expect(reloadKeys, `${name}: message "${issue.message}" is not a key of content.reload.errors`).toContain(issue.message)
              if (entry.messages === 'classes') expect(classKeys, `${name}: message "${issue.message}" is not a key of classes.errors`).toContain(issue.message)
            }
            return
          }
          if (!entry.form) return
          for (const s of strings(result.data)) {
            expect(s.includes('\u0000'), `${name} accepted a NUL: ${JSON.stringify(s).slice(0, 80)}`).toBe(false)
          }
        }),
        { numRuns: FUZZ_RUNS },
      )
    })
  }

  it('names come out clean: NFC, no control characters, inner spaces collapsed', () => {
    const profile = schemas.get('auth.ProfileSchema')!
    fc.assert(
      fc.property(fc.oneof(text, vietnamese), (fullName) => {
        const result = profile.safeParse({ fullName, jobTitle: '' })
        if (!result.success) return
        const name = (result.data as { fullName: string }).fullName
        expect(name).toBe(name.normalize('NFC'))
        expect(/[\p{Cc}\p{Cs}]/u.test(name)).toBe(false)
        expect(name).toBe(name.trim())
        expect(/\s{2,}/.test(name)).toBe(false)
      }),
      { numRuns: 500 },
    )
  })
})
