// Issuing: one certificate per course completion, written in the transaction that records the
// completion (learning/completion.server.ts). The unique completion_id is the backstop; the
// enrolment row lock taken by completeIfDue makes concurrent completions queue, so the check
// below sees the other's certificate instead of racing it.
import type { Prisma } from '@prisma/client'
import { recordXapi } from '~/modules/xapi/service.server'
import { newVerificationCode, nextNumber } from './number.server'

type Tx = Prisma.TransactionClient

/** issuedAt plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}

/**
 * Issues the certificate of a completion (or returns the one it has). The holder's name, agency
 * and the course are copied as they are now. The person's previous current certificate for the
 * course, if any, is marked superseded by the new one: both stay in the history.
 */
export async function issueCertificate(tx: Tx, completionId: string, now: Date = new Date()): Promise<{ id: string; number: string; code: string }> {
  const existing = await tx.certificate.findUnique({ where: { completionId }, select: { id: true, number: true, code: true } })
  if (existing) return existing
  const completion = await tx.courseCompletion.findUniqueOrThrow({
    where: { id: completionId },
    select: {
      completedAt: true,
      enrolment: {
        select: {
          userId: true,
          user: { select: { fullName: true, agencyId: true, agency: { select: { name: true } } } },
          course: { select: { id: true, slug: true, title: true, version: true, standardCodes: true, validityMonths: true } },
        },
      },
    },
  })
  const { user, course, userId } = completion.enrolment
  const issuedAt = now
  const certificate = await tx.certificate.create({
    data: {
      number: await nextNumber(tx, issuedAt),
      code: newVerificationCode(),
      completionId,
      userId,
      courseId: course.id,
      agencyId: user.agencyId,
      holderName: user.fullName.normalize('NFC'),
      agencyName: user.agency?.name.normalize('NFC') ?? null,
      courseTitle: course.title.normalize('NFC'),
      courseVersion: course.version,
      standardCodes: course.standardCodes,
      issuedAt,
      expiresAt: course.validityMonths ? addMonths(issuedAt, course.validityMonths) : null,
    },
    select: { id: true, number: true, code: true, expiresAt: true },
  })
  // The certificate is an xAPI "earned" (docs/decisions/026), queued in the transaction that issues it.
  await recordXapi(tx, { kind: 'certificate.issued', userId, course: { slug: course.slug, title: course.title }, number: certificate.number, expiresAt: certificate.expiresAt, at: issuedAt })
  // A renewal: the newest earlier certificate that is still current points to its successor.
  const previous = await tx.certificate.findFirst({
    where: { userId, courseId: course.id, id: { not: certificate.id }, supersededById: null, revokedAt: null },
    orderBy: { issuedAt: 'desc' },
    select: { id: true },
  })
  if (previous) await tx.certificate.update({ where: { id: previous.id }, data: { supersededById: certificate.id } })
  return { id: certificate.id, number: certificate.number, code: certificate.code }
}
