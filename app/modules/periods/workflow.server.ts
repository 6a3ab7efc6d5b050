// The life of an agency's report in a period (docs/decisions/020):
//   OPEN ──submit──▶ SUBMITTED ──approve──▶ APPROVED (final)
//                        │ ▲
//                 return │ │ submit (a new version)
//                        ▼ │
//                     RETURNED
// Every submit writes a new frozen report_snapshot (figures computed in the same transaction);
// every decision a frozen report_review. Each step is one conditional UPDATE of period_report, so
// of two racing submits (or an approve racing a return) exactly one wins and the other gets a 409;
// it needs no lock held outside the transaction and no state in the process, so N processes on
// one PostgreSQL and PGlite's one connection behave alike. Audited in the same transaction.
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { newVerificationCode } from '~/modules/certificate/number.server'
import { isAdmin, requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError, isAppError } from '~/utils/errors'
import { computeFigures } from './figures.server'
import { getPeriod } from './period.server'
import type { SnapshotFigures } from './types'

interface Target {
  periodId: string
  agencyId: string
}

async function findReport(db: PrismaClient, { periodId, agencyId }: Target) {
  const report = /^[0-9a-f-]{36}$/i.test(periodId) ? await db.periodReport.findUnique({ where: { periodId_agencyId: { periodId, agencyId } } }) : null
  if (!report) throw new AppError('NOT_FOUND', 'periods.reportNotFound')
  return report
}

async function actorName(db: PrismaClient, actor: Actor): Promise<string> {
  return (await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { fullName: true } })).fullName
}

/** May the actor review (approve / return) this agency's reports? */
export async function mayReview(db: PrismaClient, actor: Actor, agencyId: string): Promise<boolean> {
  try {
    await requireAgencyAct(db, actor, agencyId, 'review')
    return true
  } catch (error) {
    if (isAppError(error)) return false
    throw error
  }
}

/** Everything the report page of one agency in one period shows. */
export async function loadAgencyReport(db: PrismaClient, actor: Actor, target: Target, now = new Date()) {
  const agency = await requireAgencyAct(db, actor, target.agencyId, 'own')
  const period = await getPeriod(db, target.periodId)
  const report = await findReport(db, target)
  const snapshots = await db.reportSnapshot.findMany({
    where: { reportId: report.id },
    orderBy: { version: 'desc' },
    select: { id: true, version: true, figures: true, narrative: true, submittedByName: true, submittedById: true, submittedAt: true, late: true, verifyCode: true, review: true },
  })
  const open = report.status === 'OPEN' || report.status === 'RETURNED'
  const draft = open ? await computeFigures(db, period, target.agencyId, now) : null
  const canReview = report.status === 'SUBMITTED' && (await mayReview(db, actor, target.agencyId)) && snapshots[0]?.submittedById !== actor.id
  return {
    agency,
    period,
    report,
    snapshots: snapshots.map((s) => ({ ...s, figures: s.figures as unknown as SnapshotFigures })),
    draft,
    canSubmit: open,
    canReview,
    reviewerIsSubmitter: report.status === 'SUBMITTED' && snapshots[0]?.submittedById === actor.id && !isAdmin(actor),
  }
}

/** Keeps the narrative being written (before submitting); refused once submitted or approved. */
export async function saveDraft(db: PrismaClient, actor: Actor, target: Target & { narrative: string }): Promise<void> {
  await requireAgencyAct(db, actor, target.agencyId, 'own')
  await findReport(db, target)
  const saved = await db.$executeRaw`
    UPDATE period_report SET narrative_draft = ${target.narrative}, updated_at = now()
    WHERE period_id = ${target.periodId}::uuid AND agency_id = ${target.agencyId}::uuid AND status IN ('OPEN', 'RETURNED')`
  if (saved === 0) throw new AppError('CONFLICT', 'periods.draftClosed')
}

/** Submits a new version: figures computed and frozen now, with the narrative; audited. */
export async function submitReport(db: PrismaClient, actor: Actor, target: Target & { narrative: string }, ip: string | null = null, now = new Date()) {
  await requireAgencyAct(db, actor, target.agencyId, 'own')
  const period = await getPeriod(db, target.periodId)
  await findReport(db, target)
  const name = await actorName(db, actor)
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ id: string; version: number }[]>`
      UPDATE period_report
      SET status = 'SUBMITTED', version = version + 1, narrative_draft = ${target.narrative},
        first_submitted_at = COALESCE(first_submitted_at, ${now}::timestamptz), updated_at = now()
      WHERE period_id = ${target.periodId}::uuid AND agency_id = ${target.agencyId}::uuid AND status IN ('OPEN', 'RETURNED')
      RETURNING id::text AS id, version`
    const row = claimed[0]
    if (!row) {
      const current = await tx.periodReport.findUniqueOrThrow({ where: { periodId_agencyId: { periodId: target.periodId, agencyId: target.agencyId } }, select: { status: true } })
      throw new AppError('CONFLICT', current.status === 'APPROVED' ? 'periods.approvedFinal' : 'periods.alreadySubmitted')
    }
    const figures = await computeFigures(tx, period, target.agencyId, now)
    const snapshot = await tx.reportSnapshot.create({
      data: {
        reportId: row.id,
        version: row.version,
        figures: figures as never,
        narrative: target.narrative,
        headcount: figures.key.headcount,
        keyCount: figures.key.count,
        submittedById: actor.id,
        submittedByName: name,
        submittedAt: now,
        late: now.getTime() > period.dueAt.getTime(),
        verifyCode: newVerificationCode(),
      },
      select: { id: true, version: true, verifyCode: true },
    })
    await audit(tx, {
      action: 'report.submit',
      actorId: actor.id,
      targetType: 'report_snapshot',
      targetId: snapshot.id,
      ip,
      details: { periodId: target.periodId, agencyId: target.agencyId, version: snapshot.version, headcount: figures.key.headcount, keyCount: figures.key.count },
    })
    return snapshot
  })
}

export type ReviewInput = Target & ({ decision: 'APPROVED'; version: number } | { decision: 'RETURNED'; version: number; reason: string })

/** Approves or returns the version the reviewer saw; one decision per version, audited. */
export async function reviewReport(db: PrismaClient, actor: Actor, input: ReviewInput, ip: string | null = null): Promise<void> {
  await requireAgencyAct(db, actor, input.agencyId, 'review')
  const report = await findReport(db, input)
  const name = await actorName(db, actor)
  await db.$transaction(async (tx) => {
    const snapshot = await tx.reportSnapshot.findUnique({ where: { reportId_version: { reportId: report.id, version: input.version } }, select: { id: true, submittedById: true } })
    if (!snapshot) throw new AppError('CONFLICT', 'periods.versionChanged')
    if (snapshot.submittedById === actor.id) throw new AppError('FORBIDDEN', 'periods.ownSubmission')
    const decided = await tx.$executeRaw`
      UPDATE period_report SET status = ${input.decision}::"PeriodReportStatus", updated_at = now()
      WHERE id = ${report.id}::uuid AND status = 'SUBMITTED' AND version = ${input.version}`
    if (decided === 0) throw new AppError('CONFLICT', 'periods.versionChanged')
    const reason = input.decision === 'RETURNED' ? input.reason : null
    await tx.reportReview.create({ data: { snapshotId: snapshot.id, decision: input.decision, reason, reviewedById: actor.id, reviewedByName: name } })
    await audit(tx, {
      action: input.decision === 'APPROVED' ? 'report.approve' : 'report.return',
      actorId: actor.id,
      targetType: 'report_snapshot',
      targetId: snapshot.id,
      ip,
      details: { periodId: input.periodId, agencyId: input.agencyId, version: input.version, ...(reason ? { reason } : {}) },
    })
  })
}

/** A snapshot for its viewers (the agency's subtree managers, admins): 404 for anyone else. */
export async function loadSnapshot(db: PrismaClient, actor: Actor, snapshotId: string) {
  const snapshot = /^[0-9a-f-]{36}$/i.test(snapshotId)
    ? await db.reportSnapshot.findUnique({ where: { id: snapshotId }, include: { review: true, report: { select: { agencyId: true, periodId: true } } } })
    : null
  if (!snapshot) throw new AppError('NOT_FOUND', 'periods.snapshotNotFound')
  try {
    await requireAgencyAct(db, actor, snapshot.report.agencyId, 'own')
  } catch (error) {
    if (isAppError(error)) throw new AppError('NOT_FOUND', 'periods.snapshotNotFound')
    throw error
  }
  return { ...snapshot, figures: snapshot.figures as unknown as SnapshotFigures }
}

export type LoadedSnapshot = Awaited<ReturnType<typeof loadSnapshot>>

/** The public check of a printed copy: the frozen snapshot by its code, nothing else. */
export async function verifySnapshot(db: PrismaClient, code: string) {
  const snapshot = /^[a-z2-7]{26}$/.test(code) ? await db.reportSnapshot.findUnique({ where: { verifyCode: code }, include: { review: true, report: { select: { version: true } } } }) : null
  if (!snapshot) return null
  return {
    version: snapshot.version,
    latestVersion: snapshot.report.version,
    figures: snapshot.figures as unknown as SnapshotFigures,
    narrative: snapshot.narrative,
    submittedByName: snapshot.submittedByName,
    submittedAt: snapshot.submittedAt.toISOString(),
    late: snapshot.late,
    review: snapshot.review ? { decision: snapshot.review.decision, reviewedByName: snapshot.review.reviewedByName, reviewedAt: snapshot.review.reviewedAt.toISOString(), reason: snapshot.review.reason } : null,
  }
}
