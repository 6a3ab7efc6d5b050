// The agency tree as people pick from it and as permissions scope by it.
import type { Prisma, PrismaClient } from '@prisma/client'
import { collator, matchesSearch } from '~/utils/text'
import type { AgencyTypeName } from './types'

export interface AgencyOption {
  id: string
  code: string
  name: string
  type: AgencyTypeName
  parentName: string | null
  isSample: boolean
}

/** Active agencies for a picker, in Vietnamese alphabetical order. */
export async function listActiveAgencies(prisma: PrismaClient): Promise<AgencyOption[]> {
  const rows = await prisma.agency.findMany({
    where: { status: 'ACTIVE' },
    select: { id: true, code: true, name: true, type: true, isSample: true, parent: { select: { name: true } } },
  })
  const c = collator('vi')
  return rows
    .map((r) => ({ id: r.id, code: r.code, name: r.name, type: r.type, isSample: r.isSample, parentName: r.parent?.name ?? null }))
    .sort((a, b) => c.compare(a.name, b.name))
}

/** Accent-insensitive: "lao cai" finds "Lào Cai", "bac ha" finds "Xã Bắc Hà"; also by code. */
export function filterAgencies(agencies: AgencyOption[], query: string): AgencyOption[] {
  if (query.trim() === '') return agencies
  return agencies.filter((a) => matchesSearch(`${a.name} ${a.code} ${a.parentName ?? ''}`, query))
}

export type AgencyGroup = 'province' | 'ward' | 'commune' | 'school' | 'other'

export function agencyGroup(type: AgencyTypeName): AgencyGroup {
  switch (type) {
    case 'PROVINCE':
    case 'DEPARTMENT':
    case 'PARTY':
    case 'FRONT':
      return 'province'
    case 'WARD':
      return 'ward'
    case 'COMMUNE':
      return 'commune'
    case 'SCHOOL':
      return 'school'
    default:
      return 'other'
  }
}

/** The given agencies and every agency below them, at any depth (one recursive query). */
export async function subtreeIds(prisma: PrismaClient | Prisma.TransactionClient, rootIds: string[]): Promise<string[]> {
  if (rootIds.length === 0) return []
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE sub AS (
      SELECT id FROM agency WHERE id = ANY(${rootIds}::uuid[])
      UNION
      SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id
    )
    SELECT id::text AS id FROM sub`
  return rows.map((r) => r.id)
}
