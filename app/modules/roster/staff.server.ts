// The roster as managers browse it: their scope only, searchable without accents, in Vietnamese
// order, linked and unlinked records apart.
import type { Prisma, PrismaClient } from '@prisma/client'
import type { AgencyScope } from '~/modules/agency/admin.server'
import { foldVietnamese } from '~/utils/text'

export const STAFF_PAGE_SIZE = 50
export type LinkedFilter = 'all' | 'linked' | 'unlinked'

export async function listStaff(db: PrismaClient, scope: AgencyScope, { q, linked, page }: { q: string; linked: LinkedFilter; page: number }) {
  const inScope: Prisma.StaffRecordWhereInput = scope.ids === null ? {} : { agencyId: { in: [...scope.ids] } }
  const words = foldVietnamese(q).split(' ').filter(Boolean)
  const where: Prisma.StaffRecordWhereInput = {
    AND: [
      inScope,
      ...words.map((w) => ({ searchText: { contains: w } })),
      linked === 'linked' ? { userId: { not: null } } : linked === 'unlinked' ? { userId: null } : {},
    ],
  }
  const [total, linkedCount, allCount, staff] = await Promise.all([
    db.staffRecord.count({ where }),
    db.staffRecord.count({ where: { AND: [inScope, { userId: { not: null } }] } }),
    db.staffRecord.count({ where: inScope }),
    db.staffRecord.findMany({
      where,
      orderBy: [{ sortKey: 'asc' }, { staffCode: 'asc' }],
      skip: (page - 1) * STAFF_PAGE_SIZE,
      take: STAFF_PAGE_SIZE,
      select: {
        id: true,
        staffCode: true,
        fullName: true,
        email: true,
        jobTitle: true,
        agency: { select: { name: true } },
        user: { select: { id: true, email: true, phone: true } },
      },
    }),
  ])
  return { total, linkedCount, unlinkedCount: allCount - linkedCount, staff, pages: Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE)) }
}
