import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword } from '~/modules/auth/password.server'
import { boot, StartupRefused } from '~/server/boot'
import { parseEnv } from '~/utils/env.server'
import { createEmptyPostgresDatabase, REAL_POSTGRES_URL, tempDir } from '../setup/test-database'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A database of its own for one test: a fresh PostgreSQL database, or a PGlite folder. */
async function freshEnv(extra: Record<string, string>) {
  if (REAL_POSTGRES_URL) {
    const created = await createEmptyPostgresDatabase()
    cleanups.push(created.drop)
    return parseEnv({ DATABASE_URL: created.url, ...extra })
  }
  return parseEnv({ PGLITE_DATA_DIR: tempDir('boot'), ...extra })
}

const quiet = { log: () => undefined }

describe('boot', () => {
  it('migrates and seeds an empty database, and a second boot finds it ready', async () => {
    const env = await freshEnv({ NODE_ENV: 'test', SEED_DEMO: 'true' })
    const db = await boot(env, quiet)
    expect(await db.prisma.agency.count()).toBe(124)
    expect(await db.prisma.user.count()).toBe(4)
    await db.close()
    const lines: string[] = []
    const again = await boot(env, { log: (l) => lines.push(l) })
    expect(await again.prisma.agency.count()).toBe(124)
    expect(lines).toEqual([])
    await again.close()
  })

  it('a start marks the roster imports the last stop cut off as failed, and says so', async () => {
    const env = await freshEnv({ NODE_ENV: 'test', SEED_DEMO: 'false' })
    const db = await boot(env, quiet)
    const job = await db.prisma.rosterImport.create({
      data: { fileName: 'x.csv', fileSha256: 'a'.repeat(64), status: 'APPLYING', startedAt: new Date(Date.now() - 10 * 60_000), totalRows: 1, newCount: 1, updatedCount: 0, unchangedCount: 0, errorCount: 0 },
    })
    await db.close()
    const lines: string[] = []
    const again = await boot(env, { log: (l) => lines.push(l) })
    expect(await again.prisma.rosterImport.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'FAILED', message: 'interrupted' })
    expect(lines).toEqual(['[roster] 1 lần nhập danh sách bị ngắt khi máy chủ dừng: đã đánh dấu lỗi'])
    await again.close()
  })

  it('production start refuses while an account signs in with a known demo password', async () => {
    const env = await freshEnv({ NODE_ENV: 'test', SEED_DEMO: 'false' })
    const db = await boot(env, quiet)
    // Someone created an account by hand with a demo password (not marked as demo).
    const agency = await db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-SNV' } })
    await db.prisma.user.create({
      data: {
        email: 'quantri@banso.example',
        fullName: 'Người thử',
        kind: 'CIVIL_SERVANT',
        agencyId: agency.id,
        passwordHash: await hashPassword('QuanTri@2026'),
      },
    })
    await db.close()
    const production = { ...env, NODE_ENV: 'production' as const }
    const error = await boot(production, quiet).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StartupRefused)
    expect((error as Error).message).toContain('quantri@banso.example')
  })

  it('production start goes ahead once the demo password is changed', async () => {
    const env = await freshEnv({ NODE_ENV: 'test', SEED_DEMO: 'true' })
    const db = await boot(env, quiet)
    await db.prisma.user.updateMany({ data: { isDemo: false, passwordHash: await hashPassword('một mật khẩu riêng dài') } })
    await db.close()
    const ok = await boot({ ...env, NODE_ENV: 'production', SEED_DEMO: false }, quiet)
    expect(await ok.prisma.user.count()).toBe(4)
    await ok.close()
  })
})
