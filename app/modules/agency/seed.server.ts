import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { PrismaClient } from '@prisma/client'
import { holdStartupWriteLock } from '~/utils/startup-lock.server'
import { orderAgencyTree, parseAgencyCsv, type AgencyRow } from './csv.server'

export const SEED_DIR = path.resolve('prisma/seed')

export function readSeedAgencies(dir: string = SEED_DIR): { rows: AgencyRow[]; sampleCodes: Set<string> } {
  const province = parseAgencyCsv(fs.readFileSync(path.join(dir, 'laocai-agencies.csv'), 'utf8'), 'laocai-agencies.csv')
  const samples = parseAgencyCsv(fs.readFileSync(path.join(dir, 'sample-schools.csv'), 'utf8'), 'sample-schools.csv')
  return { rows: orderAgencyTree([...province, ...samples]), sampleCodes: new Set(samples.map((r) => r.code)) }
}

/** Seeds the agency tree when the agency table is empty. Returns how many rows it wrote. */
export async function seedAgencies(prisma: PrismaClient, dir: string = SEED_DIR): Promise<number> {
  const { rows, sampleCodes } = readSeedAgencies(dir)
  return prisma.$transaction(async (tx) => {
    await holdStartupWriteLock(tx)
    if ((await tx.agency.count()) > 0) return 0
    const ids = new Map(rows.map((r) => [r.code, randomUUID()]))
    // Parents first, so one insert of all rows satisfies the foreign key.
    await tx.agency.createMany({
      data: rows.map((r) => ({
        id: ids.get(r.code)!,
        code: r.code,
        name: r.name,
        type: r.type,
        parentId: r.parentCode ? ids.get(r.parentCode)! : null,
        note: r.note,
        isSample: sampleCodes.has(r.code),
      })),
    })
    await tx.agencyHistory.createMany({
      data: rows.map((r) => ({ agencyId: ids.get(r.code)!, change: 'CREATED' as const, newName: r.name })),
    })
    return rows.length
  })
}
