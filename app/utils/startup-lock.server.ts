// Start-up writes (the agency tree, the demo accounts and period, the content mirror) are made by
// whichever process gets there first: N processes may start at once on one new database
// (docs/decisions/025). Each such write runs in a transaction that first takes this
// transaction-level advisory lock and only then looks at what is there, so the second process
// waits for the first to commit and then finds nothing left to do. Transaction-level, never
// session-level: it is released at COMMIT on whichever pooled connection ran it, which is what
// PgBouncer in transaction mode needs.
import type { Prisma } from '@prisma/client'

/** Takes the lock, until this transaction ends. 720250702: no other advisory lock of the app uses it (the migrations take 720250701). */
export async function holdStartupWriteLock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(720250702)`
}
