// Demo data for periodic reports (only with SEED_DEMO): an open reporting period — the current
// quarter, due ten days after it ends, for the province, its communes and wards — and the province's
// training plan for the year, so a newcomer signing in as the demo manager sees a report to submit.
// Written once: nothing is added when any period exists already (a second seed changes nothing).
import type { PrismaClient } from '@prisma/client'
import { holdStartupWriteLock } from '~/utils/startup-lock.server'
import { periodDates } from './period.server'

export async function seedDemoPeriod(prisma: PrismaClient, now = new Date()): Promise<number> {
  if ((await prisma.reportingPeriod.count()) > 0) return 0
  const province = await prisma.agency.findFirst({ where: { parentId: null, status: 'ACTIVE' }, orderBy: { code: 'asc' }, select: { id: true } })
  if (!province) return 0
  const admin = await prisma.user.findFirst({ where: { isDemo: true, roleGrants: { some: { role: 'ADMIN' } } }, select: { id: true } })
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(now))
  const month = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', month: 'numeric' }).format(now))
  const number = Math.ceil(month / 3)
  const { startsOn, endsOn } = periodDates('QUARTER', year, number)
  const due = new Date(`${endsOn}T23:59:59.999+07:00`)
  due.setUTCDate(due.getUTCDate() + 10)
  return prisma.$transaction(async (tx) => {
    // Two processes starting at once on a new database: the second finds the period made.
    await holdStartupWriteLock(tx)
    if ((await tx.reportingPeriod.count()) > 0) return 0
    const period = await tx.reportingPeriod.create({
      data: {
        kind: 'QUARTER',
        year,
        number,
        startsOn: new Date(`${startsOn}T00:00:00Z`),
        endsOn: new Date(`${endsOn}T00:00:00Z`),
        dueAt: due,
        agencyTypes: ['PROVINCE', 'COMMUNE', 'WARD'],
        subtreeRootId: province.id,
        openedById: admin?.id ?? null,
      },
    })
    const agencies = await tx.$executeRaw`
      INSERT INTO period_report (period_id, agency_id, updated_at)
      SELECT ${period.id}::uuid, a.id, now() FROM agency a
      JOIN agency_closure cl ON cl.descendant_id = a.id AND cl.ancestor_id = ${province.id}::uuid
      WHERE a.status = 'ACTIVE' AND a.type IN ('PROVINCE', 'COMMUNE', 'WARD')`
    await tx.trainingPlan.upsert({
      where: { agencyId_year: { agencyId: province.id, year } },
      create: { agencyId: province.id, year, targetPercent: 100, courseIds: [], dueOn: new Date(`${year}-12-31T00:00:00Z`), setById: admin?.id ?? null },
      update: {},
    })
    return agencies
  })
}
