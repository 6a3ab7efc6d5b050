// Everything the server needs before it serves a request: the database open, migrated and seeded.
import type { PrismaClient } from '@prisma/client'
import { findAccountsWithDemoPasswords, seedDemoAccounts } from '~/modules/auth/demo-accounts.server'
import { pruneSessions } from '~/modules/auth/maintenance.server'
import { seedAgencies } from '~/modules/agency/seed.server'
import { seedDemoPeriod } from '~/modules/periods/seed.server'
import { ensureIssuerKey } from '~/modules/certificate/credential.server'
import { pruneLookups } from '~/modules/certificate/service.server'
import { sweepStuckImports } from '~/modules/roster/import.server'
import type { ContentConfig } from '~/modules/content/config.server'
import { startContent } from '~/modules/content/service.server'
import { openDatabase, type Database } from '~/utils/db.server'
import type { Env } from '~/utils/env.server'
import { migrate } from '~/utils/migrate.server'

/** A start-up refusal with one plain line to say. */
export class StartupRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StartupRefused'
  }
}

export interface BootOptions {
  migrationsDir?: string
  seedDir?: string
  /** Where the courses are and where their compiled form is cached (default: CONTENT_DIR, CONTENT_CACHE_DIR). */
  content?: ContentConfig
  log?: (line: string) => void
}

export async function seed(prisma: PrismaClient, env: Pick<Env, 'SEED_DEMO'>, options: BootOptions = {}) {
  const log = options.log ?? console.log
  const agencies = await seedAgencies(prisma, options.seedDir)
  if (agencies > 0) log(`[seed] đã tạo ${agencies} đơn vị (cây đơn vị tỉnh Lào Cai và trường mẫu)`)
  if (env.SEED_DEMO) {
    const demo = await seedDemoAccounts(prisma)
    if (demo > 0) log(`[seed] đã tạo ${demo} tài khoản demo (xem README)`)
    const reporting = await seedDemoPeriod(prisma)
    if (reporting > 0) log(`[seed] đã mở một kỳ báo cáo mẫu (${reporting} đơn vị phải báo cáo)`)
  }
}

export async function boot(env: Env, options: BootOptions = {}): Promise<Database> {
  const log = options.log ?? console.log
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    listenUrl: env.DATABASE_LISTEN_URL,
    pgliteDataDir: env.PGLITE_DATA_DIR,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    poolSize: env.DB_POOL_SIZE,
    startRetryMs: env.DB_START_RETRY_SECONDS * 1000,
    log,
  })
  try {
    const result = await migrate(db, options.migrationsDir)
    if (result.applied.length > 0) log(`[db] đã áp dụng ${result.applied.length} migration: ${result.applied.join(', ')}`)
    await seed(db.prisma, env, options)
    await pruneSessions(db.prisma, env)
    await pruneLookups(db.prisma)
    // Roster imports cut off by the last stop stay "applying" for ever otherwise.
    const swept = await sweepStuckImports(db.prisma)
    if (swept > 0) log(`[roster] ${swept} lần nhập danh sách bị ngắt khi máy chủ dừng: đã đánh dấu lỗi`)
    // The key that signs certificates' credentials: from ISSUER_KEY_FILE, or made once in the database.
    await ensureIssuerKey(db.prisma, { keyFile: env.ISSUER_KEY_FILE })
    // Content: validated, compiled (once, cached), images made, mirrored into the database.
    await startContent({ prisma: db.prisma, log, config: options.content })
    if (env.NODE_ENV === 'production' && !env.SEED_DEMO) {
      const demo = await findAccountsWithDemoPasswords(db.prisma)
      if (demo.length > 0) {
        throw new StartupRefused(
          `Từ chối khởi động ở chế độ production: ${demo.length} tài khoản còn dùng mật khẩu demo công khai (${demo.join(', ')}). Đổi mật khẩu hoặc xoá các tài khoản này.`,
        )
      }
    }
    return db
  } catch (error) {
    await db.close().catch(() => undefined)
    throw error
  }
}
