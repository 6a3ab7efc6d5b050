// One grant per (person, role, agency), also when the agency is NULL (an admin): the index treats
// NULL as one value, and the migration that made it so kept one of each pair already granted twice.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { grantRole } from '~/modules/auth/users.server'
import { DEFAULT_MIGRATIONS_DIR, migrate } from '~/utils/migrate.server'
import { openEmptyDatabase, tempDir, type TestDatabase } from '../setup/test-database'

const MIGRATION = '20261202110000_role_grant_one_per_scope'
const opened: TestDatabase[] = []
afterAll(async () => {
  await Promise.all(opened.map((t) => t.dispose()))
})

describe('role grants', () => {
  it('the migration keeps the oldest of each grant held twice; then a second admin grant is refused', async () => {
    const t = await openEmptyDatabase()
    opened.push(t)
    // Every migration before this one, as a database that lived through the defect would have.
    const before = tempDir('migrations')
    for (const name of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) {
      if (name >= MIGRATION && name !== 'migration_lock.toml') continue
      fs.cpSync(path.join(DEFAULT_MIGRATIONS_DIR, name), path.join(before, name), { recursive: true })
    }
    await migrate(t.db, before)
    const db = t.db.prisma
    // Rows of that time by SQL: Prisma's client knows columns that later migrations add.
    const [agency] = await db.$queryRaw<{ id: string }[]>`INSERT INTO agency (code, name, type, updated_at) VALUES ('LC-T', 'Đơn vị thử', 'PROVINCE', now()) RETURNING id::text AS id`
    const [user] = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO app_user (email, full_name, kind, agency_id, updated_at)
      VALUES ('hai-lan@banso.example', 'Hai Lần', 'CIVIL_SERVANT', ${agency!.id}::uuid, now()) RETURNING id::text AS id`
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
    const first = await db.roleGrant.create({ data: { userId: user!.id, role: 'ADMIN', grantedAt: at(1) } })
    await db.roleGrant.create({ data: { userId: user!.id, role: 'ADMIN', grantedAt: at(2) } })
    await db.roleGrant.create({ data: { userId: user!.id, role: 'ADMIN', grantedAt: at(3) } })
    const manager = await db.roleGrant.create({ data: { userId: user!.id, role: 'AGENCY_MANAGER', agencyId: agency!.id, grantedAt: at(4) } })
    expect(await db.roleGrant.count({ where: { userId: user!.id, role: 'ADMIN' } })).toBe(3) // the defect

    // This migration first, then any that came after it.
    expect((await migrate(t.db)).applied[0]).toBe(MIGRATION)
    expect((await db.roleGrant.findMany({ where: { userId: user!.id }, orderBy: { grantedAt: 'asc' } })).map((g) => g.id)).toEqual([first.id, manager.id])

    await expect(db.$executeRaw`INSERT INTO role_grant (user_id, role) VALUES (${user!.id}::uuid, 'ADMIN')`).rejects.toThrow(/role_grant_user_id_role_agency_id_key|unique/i)
    await expect(db.roleGrant.create({ data: { userId: user!.id, role: 'AGENCY_MANAGER', agencyId: agency!.id } })).rejects.toMatchObject({ code: 'P2002' })
    // Another agency, or another role, is another grant.
    const other = await db.agency.create({ data: { code: 'LC-T2', name: 'Đơn vị thử 2', type: 'PROVINCE' } })
    await db.roleGrant.create({ data: { userId: user!.id, role: 'AGENCY_MANAGER', agencyId: other.id } })

    // Granting through the app twice holds one grant.
    const admin = { id: first.userId, roles: [{ role: 'ADMIN' as const, agencyId: null }] }
    const second = await db.user.create({ data: { email: 'mot-lan@banso.example', fullName: 'Một Lần', kind: 'CIVIL_SERVANT', agencyId: agency!.id } })
    await grantRole(db, admin, { userId: second.id, role: 'ADMIN', agencyId: null, ip: '127.0.0.1' })
    await grantRole(db, admin, { userId: second.id, role: 'ADMIN', agencyId: null, ip: '127.0.0.1' })
    expect(await db.roleGrant.count({ where: { userId: second.id } })).toBe(1)
  })
})
