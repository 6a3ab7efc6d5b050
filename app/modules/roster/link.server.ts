// Linking staff records to learner accounts (docs/decisions/013). A link moves the account into the
// record's agency — into the scope of that agency's managers — so only the person themself or an
// admin makes one:
// - at sign-up, by the email the person signs up with, or by the staff code they type together with
//   the same name as on the roster (the person's own act);
// - after a roster import found an existing account with a record's email: the import only
//   PROPOSES the link (staff_link_proposal); the account's owner confirms or declines it when
//   signed in (/account), or an admin confirms it. Until then the account keeps its agency and stays
//   outside the importer's scope.
// A confirmed link then follows its record: when a later import moves the record to another agency
// inside the importer's scope, the account moves with it (never from outside that scope).
import type { Prisma, PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { isAdmin, type Actor, type AgencyScope } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { foldVietnamese } from '~/utils/text'

type Db = PrismaClient | Prisma.TransactionClient

/**
 * After an import: proposes links from unlinked records (of the given staff codes) to accounts with
 * the same email and no record yet, and moves already-linked accounts with their records inside the
 * importer's scope. Returns how many links were proposed (a declined proposal is not asked again).
 */
export async function proposeStaffLinksByEmail(db: Db, { staffCodes, proposedById, scope }: { staffCodes: string[]; proposedById: string; scope: AgencyScope }): Promise<number> {
  if (staffCodes.length === 0) return 0
  const proposed = await db.$executeRaw`
    INSERT INTO staff_link_proposal (staff_id, user_id, proposed_by_id)
    SELECT s.id, u.id, ${proposedById}::uuid
    FROM staff_record s JOIN app_user u ON u.email = s.email
    WHERE s.user_id IS NULL AND s.email IS NOT NULL AND s.staff_code = ANY(${staffCodes}::text[])
      AND NOT EXISTS (SELECT 1 FROM staff_record o WHERE o.user_id = u.id)
    ON CONFLICT (staff_id, user_id) DO NOTHING`
  const within = scope.ids === null
  await db.$executeRaw`
    UPDATE app_user u SET agency_id = s.agency_id, updated_at = now()
    FROM staff_record s
    WHERE s.user_id = u.id AND s.staff_code = ANY(${staffCodes}::text[]) AND u.agency_id IS DISTINCT FROM s.agency_id
      AND (${within}::boolean OR u.agency_id = ANY(${scope.ids ? [...scope.ids] : []}::uuid[]))`
  return proposed
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

/**
 * Links the record (if still unlinked) to the account and moves the account to the record's agency.
 * Only for the person's own act (sign-up, confirming a proposal) or an admin's confirmation.
 */
export async function linkStaffToUser(db: Db, { staffId, userId }: { staffId: string; userId: string }): Promise<boolean> {
  const claimed = await db.staffRecord.updateMany({ where: { id: staffId, userId: null }, data: { userId } })
  if (claimed.count !== 1) return false
  const record = await db.staffRecord.findUniqueOrThrow({ where: { id: staffId }, select: { agencyId: true, jobTitle: true } })
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { jobTitle: true } })
  await db.user.update({ where: { id: userId }, data: { agencyId: record.agencyId, jobTitle: user.jobTitle ?? record.jobTitle } })
  // Other proposals for this person or this record are moot now.
  await db.staffLinkProposal.deleteMany({ where: { OR: [{ userId }, { staffId }], status: 'PENDING' } })
  return true
}

export interface PendingLink {
  id: string
  staffCode: string
  fullName: string
  jobTitle: string | null
  agencyName: string
  proposedBy: string | null
  createdAt: Date
}

/** The links proposed to a person that are still open (the record unlinked, the person without one). */
export async function pendingLinksFor(db: Db, userId: string): Promise<PendingLink[]> {
  const rows = await db.staffLinkProposal.findMany({
    where: { userId, status: 'PENDING', staff: { userId: null }, user: { staffRecord: null } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      createdAt: true,
      proposedBy: { select: { fullName: true } },
      staff: { select: { staffCode: true, fullName: true, jobTitle: true, agency: { select: { name: true } } } },
    },
  })
  return rows.map((r) => ({
    id: r.id,
    staffCode: r.staff.staffCode,
    fullName: r.staff.fullName,
    jobTitle: r.staff.jobTitle,
    agencyName: r.staff.agency.name,
    proposedBy: r.proposedBy?.fullName ?? null,
    createdAt: r.createdAt,
  }))
}

/**
 * Confirms or declines a proposed link. The account's owner decides their own proposals; an admin
 * may confirm (or decline) anyone's. Anyone else — the importer included — gets 404.
 */
export async function decideLink(
  prisma: PrismaClient,
  actor: Actor,
  { proposalId, accept, ip }: { proposalId: string; accept: boolean; ip: string | null },
): Promise<{ userId: string; linked: boolean }> {
  const notFound = () => new AppError('NOT_FOUND', 'roster.linkNotFound')
  if (!/^[0-9a-f-]{36}$/i.test(proposalId)) throw notFound()
  return prisma.$transaction(async (tx) => {
    // Locked, so two clicks (or the owner and an admin at once) decide once.
    const rows = await tx.$queryRaw<{ user_id: string; staff_id: string; status: string }[]>`
      SELECT user_id::text, staff_id::text, status::text FROM staff_link_proposal WHERE id = ${proposalId}::uuid FOR UPDATE`
    const proposal = rows[0]
    if (!proposal || (proposal.user_id !== actor.id && !isAdmin(actor))) throw notFound()
    if (proposal.status !== 'PENDING') throw new AppError('CONFLICT', 'roster.linkDecided')
    const byOwner = proposal.user_id === actor.id
    if (accept) {
      const linked = await linkStaffToUser(tx, { staffId: proposal.staff_id, userId: proposal.user_id })
      if (!linked) throw new AppError('CONFLICT', 'roster.linkTaken')
      const staff = await tx.staffRecord.findUniqueOrThrow({ where: { id: proposal.staff_id }, select: { staffCode: true, agencyId: true } })
      await audit(tx, {
        action: 'roster.link.confirm',
        actorId: actor.id,
        targetType: 'user',
        targetId: proposal.user_id,
        ip,
        details: { staffCode: staff.staffCode, agencyId: staff.agencyId, byOwner },
      })
    } else {
      await tx.staffLinkProposal.update({ where: { id: proposalId }, data: { status: 'DECLINED', decidedAt: new Date() } })
      await audit(tx, { action: 'roster.link.decline', actorId: actor.id, targetType: 'user', targetId: proposal.user_id, ip, details: { proposalId, byOwner } })
    }
    return { userId: proposal.user_id, linked: accept }
  })
}
