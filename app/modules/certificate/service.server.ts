// Certificates as people see them: the public verification (by code, or by number + holder name),
// the holder's own list, the scoped list of managers and admins, and revocation.
//
// Who may see a certificate: its holder, managers of an agency subtree holding the holder's agency
// (now or at issue time), and admins. Everyone else gets "not found", never "forbidden", so that
// ids cannot be probed. Nothing lists certificates to anyone else.
import type { Prisma, PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { isAdmin, peopleScope, type Actor } from '~/modules/auth/permissions.server'
import { prisma } from '~/utils/db.server'
import { AppError } from '~/utils/errors'
import { cleanName, foldVietnamese } from '~/utils/text'
import { CODE_PATTERN, cleanNumber, NUMBER_PATTERN } from './number.server'
import { certificateStatus, renewalDue, type CertificateStatus, type CertificateText } from './status'

type Db = PrismaClient | Prisma.TransactionClient

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What the public verification page shows: nothing about the person but the name on the certificate. */
export interface PublicCertificate extends CertificateText {
  status: CertificateStatus
  revokedAt: Date | null
  revokedReason: string | null
  /** The renewal's own verification code, when superseded. */
  supersededBy: { number: string; code: string; issuedAt: Date } | null
}

/** What a certificate says (copied at issue) and its revocation: read by every view of one. */
const printedSelect = {
  number: true,
  holderName: true,
  agencyName: true,
  courseTitle: true,
  courseVersion: true,
  standardCodes: true,
  issuedAt: true,
  expiresAt: true,
  revokedAt: true,
  revokedReason: true,
  supersededById: true,
} satisfies Prisma.CertificateSelect

const publicSelect = {
  ...printedSelect,
  supersededBy: { select: { number: true, code: true, issuedAt: true } },
} satisfies Prisma.CertificateSelect

function toPublic(c: Prisma.CertificateGetPayload<{ select: typeof publicSelect }>, now: Date): PublicCertificate {
  const { supersededById: _s, ...rest } = c
  return { ...rest, status: certificateStatus(c, now) }
}

export async function verifyByCode({ code, now = new Date() }: { code: string; now?: Date }, db: Db = prisma()): Promise<PublicCertificate | null> {
  const clean = code.trim().toLowerCase()
  if (!CODE_PATTERN.test(clean)) return null
  const c = await db.certificate.findUnique({ where: { code: clean }, select: publicSelect })
  return c ? toPublic(c, now) : null
}

/** Failed look-ups per IP per hour before the form says "try later". */
export const LOOKUP_FAILURE_CAP = 20
const LOOKUP_WINDOW_MS = 60 * 60 * 1000

export type LookupResult = { kind: 'found'; code: string } | { kind: 'not-found' } | { kind: 'throttled'; retryAfterMinutes: number }

/**
 * The look-up for people who type what is printed: the number and the holder's name must both
 * match (the name ignoring case, spaces and diacritics). Failures are counted per IP, and past
 * the cap every look-up is refused for the rest of the hour, so numbers cannot be walked.
 */
export async function lookupByNumber({ number, name, ip, now = new Date() }: { number: string; name: string; ip: string; now?: Date }, db: PrismaClient = prisma()): Promise<LookupResult> {
  const since = new Date(now.getTime() - LOOKUP_WINDOW_MS)
  const [stats] = await db.$queryRaw<{ failures: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS failures, min(at) AS oldest FROM certificate_lookup WHERE ip = ${ip} AND NOT found AND at > ${since}`
  if (stats && stats.failures >= LOOKUP_FAILURE_CAP) {
    const minutes = stats.oldest ? Math.max(1, Math.ceil((stats.oldest.getTime() + LOOKUP_WINDOW_MS - now.getTime()) / 60_000)) : 60
    return { kind: 'throttled', retryAfterMinutes: minutes }
  }
  const wanted = cleanNumber(number)
  const c = NUMBER_PATTERN.test(wanted) ? await db.certificate.findUnique({ where: { number: wanted }, select: { code: true, holderName: true } }) : null
  const found = c !== null && sameName(c.holderName, name)
  await db.certificateLookup.create({ data: { ip, found, at: now } })
  return found ? { kind: 'found', code: c.code } : { kind: 'not-found' }
}

/**
 * Is the typed name the holder's? Case and spaces never matter. A name typed without any
 * diacritics (a keyboard without Vietnamese input) is compared without them; one typed with
 * diacritics must have the right ones (Hường is not Hương).
 */
export function sameName(holderName: string, typed: string): boolean {
  const lower = (s: string) => cleanName(s).toLowerCase()
  const t = lower(typed)
  return t === foldVietnamese(t) ? foldVietnamese(holderName) === t : lower(holderName) === t
}

/** Look-ups older than a day have no use left. */
export async function pruneLookups(db: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await db.certificateLookup.deleteMany({ where: { at: { lt: new Date(now.getTime() - 24 * LOOKUP_WINDOW_MS) } } })
  return count
}

const listSelect = {
  ...printedSelect,
  id: true,
  code: true,
  userId: true,
  course: { select: { slug: true, renewal: true } },
} satisfies Prisma.CertificateSelect

export type CertificateRow = Prisma.CertificateGetPayload<{ select: typeof listSelect }> & { status: CertificateStatus; renewalDue: boolean }

function withStatus(c: Prisma.CertificateGetPayload<{ select: typeof listSelect }>, now: Date): CertificateRow {
  return { ...c, status: certificateStatus(c, now), renewalDue: renewalDue(c, now) }
}

/** The holder's certificates, newest first (history included: superseded, expired, revoked). */
export async function myCertificates({ userId, now = new Date() }: { userId: string; now?: Date }, db: Db = prisma()): Promise<CertificateRow[]> {
  const rows = await db.certificate.findMany({ where: { userId }, orderBy: [{ issuedAt: 'desc' }, { number: 'desc' }], select: listSelect })
  return rows.map((c) => withStatus(c, now))
}

/** A certificate the viewer may see, else NOT_FOUND (never telling a stranger it exists). */
export async function certificateForViewer({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }, db: PrismaClient = prisma()): Promise<CertificateRow> {
  const notFound = new AppError('NOT_FOUND', 'certificate.notFoundOrHidden')
  if (!UUID.test(id)) throw notFound
  const c = await db.certificate.findUnique({ where: { id }, select: { ...listSelect, agencyId: true, user: { select: { agencyId: true } } } })
  if (!c) throw notFound
  if (c.userId !== actor.id && !isAdmin(actor)) {
    const scope = await peopleScope(db, actor)
    const agencies = scope.kind === 'agencies' ? new Set(scope.agencyIds) : new Set<string>()
    const inScope = [c.agencyId, c.user.agencyId].some((a) => a !== null && agencies.has(a))
    if (!inScope) throw notFound
  }
  const { agencyId: _a, user: _u, ...row } = c
  return withStatus(row, now)
}

export const CERTIFICATE_PAGE_SIZE = 50

/** Certificates an admin (all) or agency manager (their subtrees) may see, newest first. */
export async function listCertificates({ actor, page, query, now = new Date() }: { actor: Actor; page: number; query?: string; now?: Date }, db: PrismaClient = prisma()) {
  const scope = await peopleScope(db, actor)
  if (scope.kind === 'none') throw new AppError('FORBIDDEN', 'certificate.listForbidden')
  const inScope: Prisma.CertificateWhereInput =
    scope.kind === 'all' ? {} : { OR: [{ agencyId: { in: scope.agencyIds } }, { user: { agencyId: { in: scope.agencyIds } } }] }
  const q = query?.normalize('NFC').trim()
  const where: Prisma.CertificateWhereInput = q
    ? {
        AND: [
          inScope,
          {
            OR: [
              { number: { contains: q.toUpperCase() } },
              { holderName: { contains: q, mode: 'insensitive' } },
              // The holder's folded name: "nguyen thi huong" finds Nguyễn Thị Hương.
              { user: { searchText: { contains: foldVietnamese(q) } } },
              { courseTitle: { contains: q, mode: 'insensitive' } },
            ],
          },
        ],
      }
    : inScope
  const [total, rows] = await Promise.all([
    db.certificate.count({ where }),
    db.certificate.findMany({ where, orderBy: [{ issuedAt: 'desc' }, { number: 'desc' }], skip: (page - 1) * CERTIFICATE_PAGE_SIZE, take: CERTIFICATE_PAGE_SIZE, select: listSelect }),
  ])
  return { total, pages: Math.max(1, Math.ceil(total / CERTIFICATE_PAGE_SIZE)), rows: rows.map((c) => withStatus(c, now)) }
}

/** Revokes a certificate (admins only), with the reason, in one transaction with its audit entry. */
export async function revokeCertificate({ actor, id, reason, ip, now = new Date() }: { actor: Actor; id: string; reason: string; ip?: string | null; now?: Date }, db: PrismaClient = prisma()) {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'certificate.revokeAdminOnly')
  if (!UUID.test(id)) throw new AppError('NOT_FOUND', 'certificate.notFound')
  const clean = reason.normalize('NFC').replace(/\s+/g, ' ').trim()
  if (clean.length < 5 || clean.length > 500) throw new AppError('BAD_INPUT', 'certificate.revokeReasonLength')
  return db.$transaction(async (tx) => {
    // Only a certificate not yet revoked changes: revoking twice keeps the first date and reason.
    const { count } = await tx.certificate.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedReason: clean, revokedById: actor.id } })
    if (count === 0) {
      const exists = await tx.certificate.findUnique({ where: { id }, select: { id: true } })
      if (!exists) throw new AppError('NOT_FOUND', 'certificate.notFound')
      throw new AppError('CONFLICT', 'certificate.alreadyRevoked')
    }
    const c = await tx.certificate.findUniqueOrThrow({ where: { id }, select: { number: true } })
    await audit(tx, { action: 'certificate.revoke', actorId: actor.id, targetType: 'certificate', targetId: id, ip: ip ?? null, details: { number: c.number, reason: clean } })
  })
}

/**
 * Is a renewal open for this person and course: their current certificate expires within the
 * notice period (or has expired), and is neither revoked nor renewed already?
 */
export async function renewalOpen(db: Db, { userId, courseId, now = new Date() }: { userId: string; courseId: string; now?: Date }): Promise<boolean> {
  const current = await db.certificate.findFirst({
    where: { userId, courseId, supersededById: null, revokedAt: null },
    orderBy: { issuedAt: 'desc' },
    select: { revokedAt: true, supersededById: true, expiresAt: true },
  })
  return current !== null && renewalDue(current, now)
}

