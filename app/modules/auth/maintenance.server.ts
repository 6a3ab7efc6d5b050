import type { PrismaClient } from '@prisma/client'
import { pruneExpiredSessions, sessionPolicy } from './session.server'
import { pruneSignInAttempts } from './throttle.server'

/** Deletes expired sessions, sign-in attempts older than a day and used or expired reset links. */
export async function pruneSessions(prisma: PrismaClient, env: { SESSION_IDLE_MINUTES: number; SESSION_MAX_DAYS: number }, now = new Date()) {
  const sessions = await pruneExpiredSessions(prisma, sessionPolicy(env), now)
  const attempts = await pruneSignInAttempts(prisma, now)
  const { count: resetLinks } = await prisma.passwordResetToken.deleteMany({
    where: { OR: [{ expiresAt: { lt: new Date(now.getTime() - 86_400_000) } }, { usedAt: { lt: new Date(now.getTime() - 86_400_000) } }] },
  })
  return { sessions, attempts, resetLinks }
}
