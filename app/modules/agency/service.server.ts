import type { PrismaClient } from '@prisma/client'

export interface AgencyCounts {
  total: number
  departments: number
  wards: number
  communes: number
}

/** Active agencies by kind, for the home page (one grouped query). */
export async function countActiveAgencies({ prisma }: { prisma: PrismaClient }): Promise<AgencyCounts> {
  const groups = await prisma.agency.groupBy({
    by: ['type'],
    where: { status: 'ACTIVE', isSample: false },
    _count: { _all: true },
  })
  const count = (types: string[]) =>
    groups.filter((g) => types.includes(g.type)).reduce((sum, g) => sum + g._count._all, 0)
  return {
    total: count(groups.map((g) => g.type)),
    departments: count(['DEPARTMENT', 'PARTY', 'FRONT']),
    wards: count(['WARD']),
    communes: count(['COMMUNE']),
  }
}
