// The audit log: who did what, to what, when, from where. Security events are written in the same
// transaction as the change they record where there is one.
import type { Prisma, PrismaClient } from '@prisma/client'

export type AuditAction =
  | 'auth.signin.success'
  | 'auth.signin.failure'
  | 'auth.signup'
  | 'auth.signout'
  | 'auth.signout.everywhere'
  | 'auth.password.change'
  | 'auth.password.reset.create'
  | 'auth.password.reset.use'
  | 'auth.role.grant'
  | 'auth.role.revoke'
  | 'auth.user.deactivate'
  | 'auth.user.reactivate'
  | 'auth.oidc.link'
  | 'auth.oidc.unlink'
  | 'roster.link.confirm'
  | 'roster.link.decline'
  | 'agency.create'
  | 'agency.update'
  | 'agency.move'
  | 'agency.merge'
  | 'agency.deactivate'
  | 'agency.reactivate'
  | 'roster.import'
  | 'assignment.create'
  | 'assignment.delete'
  | 'certificate.revoke'
  | 'class.create'
  | 'class.join'
  | 'class.assign'
  | 'class.unassign'
  | 'class.pin.reset'
  | 'class.archive'
  | 'class.unarchive'
  | 'period.open'
  | 'plan.set'
  | 'report.submit'
  | 'report.approve'
  | 'report.return'
  | 'reminders.run'
  | 'reminders.settings'
  | 'content.reload'

export interface AuditEntry {
  action: AuditAction
  actorId?: string | null
  targetType?: string
  targetId?: string | null
  ip?: string | null
  details?: Prisma.InputJsonObject
}

type Db = PrismaClient | Prisma.TransactionClient

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      action: entry.action,
      actorId: entry.actorId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? {},
    },
  })
}

export const AUDIT_PAGE_SIZE = 50

export async function listAuditEntries(prisma: PrismaClient, { page }: { page: number }) {
  const [total, entries] = await Promise.all([
    prisma.auditLog.count(),
    prisma.auditLog.findMany({
      orderBy: { id: 'desc' },
      skip: (page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      include: { actor: { select: { fullName: true } } },
    }),
  ])
  return { total, entries, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) }
}
