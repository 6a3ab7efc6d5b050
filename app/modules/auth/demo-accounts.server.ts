// The demo accounts of the README, one per role. They exist only when demo seeding is on
// (SEED_DEMO, never in production), and production refuses to start while any account still
// signs in with one of these passwords.
import type { PrismaClient, Role } from '@prisma/client'
import { holdStartupWriteLock } from '~/utils/startup-lock.server'
import { userKeys } from './keys'
import { hashPassword, verifyPassword } from './password.server'

export interface DemoAccount {
  email: string
  password: string
  fullName: string
  kind: 'CIVIL_SERVANT' | 'TEACHER'
  agencyCode: string
  jobTitle: string
  role: { role: Role; agencyCode: string | null } | null
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'hocvien@banso.example',
    password: 'HocVien@2026',
    fullName: 'Nguyễn Thị Hương',
    kind: 'CIVIL_SERVANT',
    agencyCode: 'LC-X-BACHA',
    jobTitle: 'Công chức Văn phòng - Thống kê',
    role: null,
  },
  {
    email: 'giaovien@banso.example',
    password: 'GiaoVien@2026',
    fullName: 'Lò Văn Minh',
    kind: 'TEACHER',
    agencyCode: 'MAU-THCS-BACHA',
    jobTitle: 'Giáo viên Tin học',
    role: { role: 'TEACHER', agencyCode: 'MAU-THCS-BACHA' },
  },
  {
    email: 'quanly@banso.example',
    password: 'QuanLy@2026',
    fullName: 'Giàng Thị Mai',
    kind: 'CIVIL_SERVANT',
    agencyCode: 'LC-X-BACHA',
    jobTitle: 'Phó Chủ tịch UBND xã',
    role: { role: 'AGENCY_MANAGER', agencyCode: 'LC-X-BACHA' },
  },
  {
    email: 'quantri@banso.example',
    password: 'QuanTri@2026',
    fullName: 'Trần Quốc Bảo',
    kind: 'CIVIL_SERVANT',
    agencyCode: 'LC-SNV',
    jobTitle: 'Chuyên viên Sở Nội vụ',
    role: { role: 'ADMIN', agencyCode: null },
  },
]

/** Creates the demo accounts that are missing. Returns how many it created. */
export async function seedDemoAccounts(prisma: PrismaClient): Promise<number> {
  const agencies = await prisma.agency.findMany({
    where: { code: { in: DEMO_ACCOUNTS.map((a) => a.agencyCode) } },
    select: { id: true, code: true },
  })
  const agencyId = new Map(agencies.map((a) => [a.code, a.id]))
  let created = 0
  for (const account of DEMO_ACCOUNTS) {
    if (await prisma.user.findUnique({ where: { email: account.email }, select: { id: true } })) continue
    const ownAgency = agencyId.get(account.agencyCode)
    if (!ownAgency) throw new Error(`Demo account ${account.email}: agency ${account.agencyCode} is not in the database`)
    const passwordHash = await hashPassword(account.password)
    const made = await prisma.$transaction(async (tx) => {
      // Another process starting at once may have made it while this one hashed.
      await holdStartupWriteLock(tx)
      if (await tx.user.findUnique({ where: { email: account.email }, select: { id: true } })) return false
      const user = await tx.user.create({
        data: {
          email: account.email,
          fullName: account.fullName,
          kind: account.kind,
          agencyId: ownAgency,
          jobTitle: account.jobTitle,
          passwordHash,
          isDemo: true,
          ...userKeys({ fullName: account.fullName, email: account.email }),
        },
      })
      if (account.role) {
        await tx.roleGrant.create({
          data: {
            userId: user.id,
            role: account.role.role,
            agencyId: account.role.agencyCode ? agencyId.get(account.role.agencyCode)! : null,
          },
        })
      }
      return true
    })
    if (made) created++
  }
  return created
}

/**
 * Accounts that still sign in with a known demo password (or are marked as demo). Production
 * start refuses while this list is not empty.
 */
export async function findAccountsWithDemoPasswords(prisma: PrismaClient): Promise<string[]> {
  const candidates = await prisma.user.findMany({
    where: { OR: [{ isDemo: true }, { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }] },
    select: { email: true, phone: true, isDemo: true, passwordHash: true },
  })
  const found: string[] = []
  for (const user of candidates) {
    const label = user.email ?? user.phone ?? '(không tên)'
    if (user.isDemo) {
      found.push(label)
      continue
    }
    if (!user.passwordHash) continue
    for (const demo of DEMO_ACCOUNTS) {
      if (await verifyPassword(user.passwordHash, demo.password)) {
        found.push(label)
        break
      }
    }
  }
  return found
}
