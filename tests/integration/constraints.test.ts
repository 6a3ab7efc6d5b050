// The rules the database itself holds, so no code path (or raw SQL) can break them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let agencyId: string
let courseId: string
let userId: string

beforeAll(async () => {
  t = await openSeededDatabase({ demo: false })
  agencyId = (await t.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
  courseId = (
    await t.db.prisma.course.create({
      data: {
        slug: 'thu-nghiem',
        title: 'Khoá thử nghiệm',
        summary: 'Chỉ dùng trong kiểm thử',
        audiences: ['CIVIL_SERVANTS'],
        topic: 'basic',
        level: 'basic',
        estimatedHours: 2,
        standardCodes: ['IU01'],
        passMark: 70,
        version: '1',
        contentHash: 'x',
      },
    })
  ).id
  userId = (
    await t.db.prisma.user.create({
      data: { email: 'a@banso.example', fullName: 'Nguyễn Văn A', kind: 'CIVIL_SERVANT', agencyId },
    })
  ).id
})
afterAll(async () => {
  await t.dispose()
})

/** Runs raw SQL and returns the PostgreSQL error's constraint or code, or 'ok'. */
async function outcome(text: string, params: unknown[] = []): Promise<string> {
  try {
    await t.db.withConnection((sql) => sql.query(text, params))
    return 'ok'
  } catch (error) {
    const e = error as { constraint?: string; code?: string; message?: string }
    return e.constraint ?? e.code ?? String(e.message)
  }
}

describe('database constraints', () => {
  it('one enrolment per user and course', async () => {
    await t.db.prisma.enrolment.create({ data: { userId, courseId } })
    const second = await t.db.prisma.enrolment.create({ data: { userId, courseId } }).catch((e: { code?: string }) => e.code)
    expect(second).toBe('P2002')
  })

  it('agencies: a merged agency names its target, no agency is its own parent, codes are clean', async () => {
    expect(await outcome(`UPDATE agency SET status = 'MERGED' WHERE id = $1`, [agencyId])).toBe('agency_merged_has_target')
    expect(await outcome(`UPDATE agency SET parent_id = id WHERE id = $1`, [agencyId])).toBe('agency_not_own_parent')
    expect(await outcome(`INSERT INTO agency (code, name, type, updated_at) VALUES ('xã thường', 'X', 'COMMUNE', now())`)).toBe(
      'agency_code_format',
    )
    expect(await outcome(`UPDATE agency SET headcount_manual = -1 WHERE id = $1`, [agencyId])).toBe('agency_headcount_non_negative')
    expect(await outcome(`DELETE FROM agency WHERE code = 'LC'`)).toMatch(/^agency(_history)?_\w+_fkey$/) // children refer to it
  })

  it('users: staff need an agency, everyone but students needs an email or phone, emails are lower case', async () => {
    const insert = (email: string | null, phone: string | null, kind: string, agency: string | null) =>
      outcome(
        `INSERT INTO app_user (full_name, email, phone, kind, agency_id, updated_at) VALUES ('Người thử', $1, $2, $3::"PersonKind", $4, now())`,
        [email, phone, kind, agency],
      )
    expect(await insert(null, null, 'CITIZEN', null)).toBe('user_has_sign_in_identifier')
    expect(await insert('b@banso.example', null, 'CIVIL_SERVANT', null)).toBe('user_staff_have_agency')
    expect(await insert('Upper@Banso.Example', null, 'CITIZEN', null)).toBe('user_email_lower_case')
    expect(await insert(null, '0912345678', 'CITIZEN', null)).toBe('user_phone_format')
    expect(await insert(null, '+84912345678', 'CITIZEN', null)).toBe('ok')
    expect(await insert(null, null, 'STUDENT', null)).toBe('ok')
  })

  it('users: an account at an identity provider is a way to sign in too, and its last one is not removed', async () => {
    const created = await t.db.withConnection(async (sql) => {
      await sql.query('BEGIN')
      try {
        const [row] = (await sql.query(`INSERT INTO app_user (full_name, kind, updated_at) VALUES ('Người định danh', 'CITIZEN', now()) RETURNING id`)) as { id: string }[]
        await sql.query(`INSERT INTO user_identity (user_id, issuer, subject, linked_by) VALUES ($1, 'https://id.example.vn', 'sub-1', 'created')`, [row!.id])
        await sql.query('COMMIT')
        return row!.id
      } catch (error) {
        await sql.query('ROLLBACK')
        throw error
      }
    })
    expect(await outcome(`DELETE FROM user_identity WHERE user_id = $1`, [created])).toBe('user_has_sign_in_identifier')
    expect(await outcome(`INSERT INTO user_identity (user_id, issuer, subject, linked_by) VALUES ($1, 'https://id.example.vn', 'sub-2', 'magic')`, [created])).toBe(
      'user_identity_linked_by_check',
    )
    // The account goes with its identities.
    expect(await outcome(`DELETE FROM app_user WHERE id = $1`, [created])).toBe('ok')
  })

  it('roles: a manager is scoped to an agency, an admin to none', async () => {
    expect(await outcome(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'AGENCY_MANAGER')`, [userId])).toBe(
      'role_grant_manager_has_agency',
    )
    expect(await outcome(`INSERT INTO role_grant (user_id, role, agency_id) VALUES ($1, 'ADMIN', $2)`, [userId, agencyId])).toBe(
      'role_grant_admin_is_global',
    )
  })

  it('link proposals are dated exactly when decided; only a deactivated account names who deactivated it', async () => {
    const staff = await t.db.prisma.staffRecord.create({ data: { staffCode: 'CK-1', fullName: 'Nguyễn Văn A', agencyId } })
    expect(await outcome(`INSERT INTO staff_link_proposal (staff_id, user_id, status) VALUES ($1, $2, 'DECLINED')`, [staff.id, userId])).toBe(
      'staff_link_proposal_decided_check',
    )
    expect(await outcome(`INSERT INTO staff_link_proposal (staff_id, user_id, decided_at) VALUES ($1, $2, now())`, [staff.id, userId])).toBe(
      'staff_link_proposal_decided_check',
    )
    expect(await outcome(`INSERT INTO staff_link_proposal (staff_id, user_id) VALUES ($1, $2)`, [staff.id, userId])).toBe('ok')
    expect(await outcome(`UPDATE app_user SET deactivated_by_id = id WHERE id = $1`, [userId])).toBe('app_user_deactivated_by_check')
    expect(await outcome(`UPDATE app_user SET deactivated_by_id = id, deactivated_at = now() WHERE id = $1`, [userId])).toBe('ok')
    await t.db.prisma.user.update({ where: { id: userId }, data: { deactivatedAt: null, deactivatedById: null } })
  })

  it('quiz attempts: numbers are unique per enrolment, and a submitted attempt is graded', async () => {
    const enrolment = await t.db.prisma.enrolment.findFirstOrThrow({ where: { userId } })
    const attempt = (n: number) =>
      outcome(
        `INSERT INTO quiz_attempt (enrolment_id, user_id, course_id, number, draw, content_version) VALUES ($1, $2, $3, $4, '[]', 'v1')`,
        [enrolment.id, userId, courseId, n],
      )
    expect(await attempt(1)).toBe('ok')
    expect(await attempt(1)).toBe('quiz_attempt_enrolment_id_number_key')
    expect(await attempt(0)).toBe('attempt_number_positive')
    expect(await outcome(`UPDATE quiz_attempt SET status = 'SUBMITTED', submitted_at = now()`)).toBe('attempt_submitted_is_graded')
    expect(await outcome(`UPDATE quiz_attempt SET status = 'SUBMITTED'`)).toBe('attempt_submitted_has_time')
  })

  it('offline progress syncs: the client id is a random token, not free text', async () => {
    const lessonId = (await t.db.prisma.lesson.create({ data: { courseId, slug: 'bai-thu', position: 1, title: 'Bài', summary: 'Bài thử', minutes: 5, contentHash: 'x' } })).id
    const insert = (clientId: string) =>
      outcome(`INSERT INTO offline_progress_sync (client_id, user_id, lesson_id, done_at) VALUES ($1, $2, $3, now())`, [clientId, userId, lessonId])
    expect(await insert('short')).toBe('offline_progress_sync_client_id_format')
    expect(await insert("x'; DROP TABLE lesson; --------")).toBe('offline_progress_sync_client_id_format')
    expect(await insert('0b7c6d1e-5f4a-4c3b-9a8d-7e6f5a4b3c2d')).toBe('ok')
    expect(await insert('0b7c6d1e-5f4a-4c3b-9a8d-7e6f5a4b3c2d')).toBe('offline_progress_sync_pkey')
  })

  it('courses: the pass mark is a percentage', async () => {
    expect(await outcome(`UPDATE course SET pass_mark = 101`)).toBe('course_pass_mark_range')
  })

  it('roster imports: counts are not negative, progress stays within the rows, the file hash is hex', async () => {
    const insert = (total: number, processed: number, sha: string) =>
      outcome(
        `INSERT INTO roster_import (file_name, file_sha256, total_rows, new_count, updated_count, unchanged_count, error_count, processed)
         VALUES ('a.csv', $1, $2, 0, 0, 0, 0, $3)`,
        [sha, total, processed],
      )
    expect(await insert(2, 1, 'a'.repeat(64))).toBe('ok')
    expect(await insert(2, 3, 'a'.repeat(64))).toBe('roster_import_processed_range')
    expect(await insert(-1, 0, 'a'.repeat(64))).toBe('roster_import_counts_non_negative')
    expect(await insert(1, 0, 'not-a-hash')).toBe('roster_import_sha256_hex')
  })

  it('certificate numbers: the per-year counter holds a plausible year and a positive number', async () => {
    expect(await outcome(`INSERT INTO certificate_counter (year, last) VALUES (2026, 1)`)).toBe('ok')
    expect(await outcome(`INSERT INTO certificate_counter (year, last) VALUES (1999, 1)`)).toBe('certificate_counter_year_range')
    expect(await outcome(`INSERT INTO certificate_counter (year, last) VALUES (2027, 0)`)).toBe('certificate_counter_last_positive')
    expect(await outcome(`UPDATE course SET renewal = 'SOMETIMES'`)).toBe('22P02')
  })

  it('rate-limit counters: a count is at least one', async () => {
    expect(await outcome(`INSERT INTO rate_limit_counter (key, window_start, hits) VALUES ('post:ip:192.0.2.1', now(), 1)`)).toBe('ok')
    expect(await outcome(`INSERT INTO rate_limit_counter (key, window_start, hits) VALUES ('post:ip:192.0.2.2', now(), 0)`)).toBe('rate_limit_counter_hits_positive')
  })
})

describe('periodic reports (docs/decisions/020)', () => {
  it('plans, periods, reports and reviews keep their ranges', async () => {
    expect(await outcome(`INSERT INTO training_plan (agency_id, year, target_percent, due_on, updated_at) VALUES ($1, 2026, 0, '2026-12-31', now())`, [agencyId])).toBe('training_plan_target_range')
    expect(await outcome(`INSERT INTO training_plan (agency_id, year, target_percent, due_on, updated_at) VALUES ($1, 2026, 101, '2026-12-31', now())`, [agencyId])).toBe('training_plan_target_range')
    expect(await outcome(`INSERT INTO reporting_period (kind, year, number, starts_on, ends_on, due_at) VALUES ('QUARTER', 2026, 5, '2026-10-01', '2026-12-31', now())`)).toBe('reporting_period_number_range')
    expect(await outcome(`INSERT INTO reporting_period (kind, year, number, starts_on, ends_on, due_at) VALUES ('YEAR', 2026, 2, '2026-01-01', '2026-12-31', now())`)).toBe('reporting_period_number_range')
    expect(await outcome(`INSERT INTO reporting_period (kind, year, number, starts_on, ends_on, due_at) VALUES ('HALF_YEAR', 2026, 1, '2026-07-01', '2026-01-01', now())`)).toBe('reporting_period_dates')
    const [period] = await t.db.withConnection((sql) =>
      sql.query<{ id: string }>(`INSERT INTO reporting_period (kind, year, number, starts_on, ends_on, due_at) VALUES ('YEAR', 2026, 1, '2026-01-01', '2026-12-31', now()) RETURNING id`),
    )
    expect(await outcome(`INSERT INTO period_report (period_id, agency_id, status, version, updated_at) VALUES ($1, $2, 'SUBMITTED', 0, now())`, [period!.id, agencyId])).toBe('period_report_status_version')
    const [report] = await t.db.withConnection((sql) => sql.query<{ id: string }>(`INSERT INTO period_report (period_id, agency_id, updated_at) VALUES ($1, $2, now()) RETURNING id`, [period!.id, agencyId]))
    expect(await outcome(`INSERT INTO report_snapshot (report_id, version, figures, narrative, headcount, key_count, submitted_by_id, submitted_by_name, late, verify_code) VALUES ($1, 1, '{}', '', 3, 4, $2, 'A', false, 'x')`, [report!.id, userId])).toBe('report_snapshot_counts')
    const [snapshot] = await t.db.withConnection((sql) =>
      sql.query<{ id: string }>(`INSERT INTO report_snapshot (report_id, version, figures, narrative, headcount, key_count, submitted_by_id, submitted_by_name, late, verify_code) VALUES ($1, 1, '{}', '', 3, 2, $2, 'A', false, 'y') RETURNING id`, [report!.id, userId]),
    )
    expect(await outcome(`INSERT INTO report_review (snapshot_id, decision, reason, reviewed_by_id, reviewed_by_name) VALUES ($1, 'RETURNED', '  ab ', $2, 'B')`, [snapshot!.id, userId])).toBe('report_review_return_reason')
    expect(await outcome(`INSERT INTO report_review (snapshot_id, decision, reviewed_by_id, reviewed_by_name) VALUES ($1, 'APPROVED', $2, 'B')`, [snapshot!.id, userId])).toBe('ok')
    // Frozen: the trigger refuses any change (its error carries no constraint: the message says why).
    expect(await outcome(`UPDATE report_snapshot SET headcount = 3 WHERE id = $1`, [snapshot!.id])).toBe('P0001')
    expect(await outcome(`DELETE FROM report_review WHERE snapshot_id = $1`, [snapshot!.id])).toBe('P0001')
  })
})
