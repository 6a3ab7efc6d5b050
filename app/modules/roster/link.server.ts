// Linking staff records to learner accounts: by email (at import, and when someone signs up with
// the email of an unlinked record), or by the staff code a person enters at sign-up together with
// the same name as on the roster. A linked account follows its record's agency: the roster is HR's
// source of truth, and managers see the person in their scope.
import type { Prisma, PrismaClient } from '@prisma/client'
import { foldVietnamese } from '~/utils/text'

type Db = PrismaClient | Prisma.TransactionClient

/** Links unlinked records (of the given staff codes) to accounts with the same email. Returns how many. */
export async function linkStaffByEmail(db: Db, staffCodes: string[]): Promise<number> {
  if (staffCodes.length === 0) return 0
  const linked = await db.$executeRaw`
    WITH pairs AS (
      SELECT DISTINCT ON (u.id) s.id AS staff_id, u.id AS user_id
      FROM staff_record s JOIN app_user u ON u.email = s.email
      WHERE s.user_id IS NULL AND s.email IS NOT NULL AND s.staff_code = ANY(${staffCodes}::text[])
        AND NOT EXISTS (SELECT 1 FROM staff_record o WHERE o.user_id = u.id)
      ORDER BY u.id, s.staff_code
    )
    UPDATE staff_record s SET user_id = pairs.user_id, updated_at = now() FROM pairs WHERE s.id = pairs.staff_id`
  await db.$executeRaw`
    UPDATE app_user u SET agency_id = s.agency_id, job_title = COALESCE(u.job_title, s.job_title), updated_at = now()
    FROM staff_record s
    WHERE s.user_id = u.id AND s.staff_code = ANY(${staffCodes}::text[]) AND u.agency_id IS DISTINCT FROM s.agency_id`
  return linked
}

export type SignupLink = { ok: true; staffId: string | null } | { ok: false }

/**
 * The staff record a new account links to: the one with the staff code typed (and the same name,
 * accents and case aside) if given, else an unlinked one with the account's email.
 */
export async function findStaffForSignup(db: Db, { staffCode, fullName, email }: { staffCode: string | null; fullName: string; email: string | null }): Promise<SignupLink> {
  if (staffCode) {
    const record = await db.staffRecord.findUnique({ where: { staffCode }, select: { id: true, fullName: true, userId: true } })
    if (!record || record.userId || foldVietnamese(record.fullName) !== foldVietnamese(fullName)) return { ok: false }
    return { ok: true, staffId: record.id }
  }
  if (!email) return { ok: true, staffId: null }
  const record = await db.staffRecord.findFirst({ where: { email, userId: null }, select: { id: true }, orderBy: { staffCode: 'asc' } })
  return { ok: true, staffId: record?.id ?? null }
}

/** Links the record (if still unlinked) to the new account and moves the account to the record's agency. */
export async function linkStaffToUser(db: Db, { staffId, userId }: { staffId: string; userId: string }): Promise<boolean> {
  const claimed = await db.staffRecord.updateMany({ where: { id: staffId, userId: null }, data: { userId } })
  if (claimed.count !== 1) return false
  const record = await db.staffRecord.findUniqueOrThrow({ where: { id: staffId }, select: { agencyId: true, jobTitle: true } })
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { jobTitle: true } })
  await db.user.update({ where: { id: userId }, data: { agencyId: record.agencyId, jobTitle: user.jobTitle ?? record.jobTitle } })
  return true
}
