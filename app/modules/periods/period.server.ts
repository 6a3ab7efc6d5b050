// Reporting periods (docs/decisions/020): an admin opens one (quarter, half-year or year; its due
// date; which agencies must report — by type and/or subtree). The agencies are fixed when it opens:
// one period_report each, written in the same transaction.
import type { Prisma, PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { requireAdmin, type Actor } from '~/modules/scope/scope.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import type { OpenPeriodForm } from './schema'
import type { PeriodKindName } from './types'

type Db = PrismaClient | Prisma.TransactionClient

/** The calendar dates a period covers (yyyy-mm-dd, inclusive). */
export function periodDates(kind: PeriodKindName, year: number, number: number): { startsOn: string; endsOn: string } {
  const months = kind === 'QUARTER' ? 3 : kind === 'HALF_YEAR' ? 6 : 12
  const first = (number - 1) * months
  const start = new Date(Date.UTC(year, first, 1))
  const end = new Date(Date.UTC(year, first + months, 0))
  return { startsOn: start.toISOString().slice(0, 10), endsOn: end.toISOString().slice(0, 10) }
}

/** Due at the end of the due day, Vietnam time. */
export function dueAtOf(dueOn: string): Date {
  return new Date(`${dueOn}T23:59:59.999+07:00`)
}

export interface OpenedPeriod {
  id: string
  agencies: number
}

export async function openPeriod(db: PrismaClient, actor: Actor, form: OpenPeriodForm, ip: string | null = null): Promise<OpenedPeriod> {
  requireAdmin(actor)
  const { startsOn, endsOn } = periodDates(form.kind, form.year, form.number)
  if (form.dueOn < startsOn) throw AppError.field('dueBeforeStart')
  if (form.subtreeRootId) {
    const root = await db.agency.findUnique({ where: { id: form.subtreeRootId }, select: { status: true } })
    if (!root || root.status !== 'ACTIVE') throw AppError.field('agencyRequired')
  }
  try {
    return await db.$transaction(async (tx) => {
      const period = await tx.reportingPeriod.create({
        data: {
          kind: form.kind,
          year: form.year,
          number: form.number,
          startsOn: new Date(`${startsOn}T00:00:00Z`),
          endsOn: new Date(`${endsOn}T00:00:00Z`),
          dueAt: dueAtOf(form.dueOn),
          agencyTypes: form.agencyTypes,
          subtreeRootId: form.subtreeRootId,
          openedById: actor.id,
        },
      })
      // The agencies that must report: active, in the subtree (or the whole active tree), of the types.
      const root = form.subtreeRootId
      const agencies = await tx.$executeRaw`
        INSERT INTO period_report (period_id, agency_id, updated_at)
        SELECT ${period.id}::uuid, a.id, now()
        FROM agency a
        WHERE a.status = 'ACTIVE'
          AND EXISTS (SELECT 1 FROM agency_closure cl WHERE cl.descendant_id = a.id AND cl.ancestor_id = COALESCE(${root}::uuid, a.id))
          AND (cardinality(${form.agencyTypes}::"AgencyType"[]) = 0 OR a.type = ANY(${form.agencyTypes}::"AgencyType"[]))`
      if (agencies === 0) throw new AppError('BAD_INPUT', 'periods.noAgencies')
      await audit(tx, {
        action: 'period.open',
        actorId: actor.id,
        targetType: 'reporting_period',
        targetId: period.id,
        ip,
        details: { kind: form.kind, year: form.year, number: form.number, dueOn: form.dueOn, agencyTypes: form.agencyTypes, subtreeRootId: root, agencies },
      })
      return { id: period.id, agencies }
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'periods.exists')
    throw error
  }
}

export async function getPeriod(db: Db, periodId: string) {
  const period = /^[0-9a-f-]{36}$/i.test(periodId) ? await db.reportingPeriod.findUnique({ where: { id: periodId } }) : null
  if (!period) throw new AppError('NOT_FOUND', 'periods.notFound')
  return period
}

export type PeriodRow = Awaited<ReturnType<typeof getPeriod>>

/** Every period, newest first, with how many agencies of the given set report and have reported. */
export async function listPeriods(db: PrismaClient, ids: Set<string> | null) {
  const agencyIds = ids ? [...ids] : null
  return db.$queryRaw<{ id: string; kind: PeriodKindName; year: number; number: number; starts_on: Date; ends_on: Date; due_at: Date; expected: number; reported: number; approved: number }[]>`
    SELECT p.id::text AS id, p.kind::text AS kind, p.year, p.number, p.starts_on, p.ends_on, p.due_at,
      count(r.id)::int AS expected,
      count(r.id) FILTER (WHERE r.status IN ('SUBMITTED', 'APPROVED'))::int AS reported,
      count(r.id) FILTER (WHERE r.status = 'APPROVED')::int AS approved
    FROM reporting_period p
    LEFT JOIN period_report r ON r.period_id = p.id AND (${agencyIds}::uuid[] IS NULL OR r.agency_id = ANY(${agencyIds ?? []}::uuid[]))
    GROUP BY p.id
    ORDER BY p.ends_on DESC, p.kind`
}
