// The content version row (table content_version, one row): the version of the content tree that is
// mirrored into the database, and the hash of that tree. It is bumped in the same transaction that
// mirrors a changed tree (start-up, the admin page's reload, `npm run content:reload`), and that
// transaction also sends a NOTIFY on CONTENT_CHANNEL: delivered only at COMMIT, so a process told of
// a version always finds it committed (docs/decisions/025, amendment "content reload").
import { createHash } from 'node:crypto'
import type { Prisma, PrismaClient } from '@prisma/client'
import type { ContentTree } from './loader.server'

/** The NOTIFY channel of content reloads; the payload is the new version. */
export const CONTENT_CHANNEL = 'banso_content'

export interface ContentVersionRow {
  version: number
  contentHash: string
  changedAt: Date
  changedById: string | null
}

type Db = PrismaClient | Prisma.TransactionClient

/**
 * One hash of everything a process serves from content/: every course's hash (which covers its
 * lessons, files, question banks and final quiz), the topics and the standards. Independent of the
 * folder the content is in, so every process of one release computes the same one.
 */
export function treeHash(tree: ContentTree): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(tree.topics)).update('\0')
  hash.update(JSON.stringify(tree.standards.map((s) => ({ ...s, file: undefined })))).update('\0')
  for (const course of [...tree.courses].sort((a, b) => a.slug.localeCompare(b.slug))) hash.update(`${course.slug}:${course.contentHash}\n`)
  return hash.digest('hex').slice(0, 32)
}

export async function readContentVersion(db: Db): Promise<ContentVersionRow | null> {
  const rows = await db.$queryRaw<{ version: number; content_hash: string; changed_at: Date; changed_by_id: string | null }[]>`
    SELECT version, content_hash, changed_at, changed_by_id FROM content_version WHERE id = 1`
  const row = rows[0]
  return row ? { version: Number(row.version), contentHash: row.content_hash, changedAt: row.changed_at, changedById: row.changed_by_id } : null
}

/** Inside the mirroring transaction: the next version, with its hash, announced at COMMIT. */
export async function bumpContentVersionRow(tx: Prisma.TransactionClient, contentHash: string, changedById: string | null): Promise<number> {
  const rows = await tx.$queryRaw<{ version: number }[]>`
    INSERT INTO content_version (id, version, content_hash, changed_at, changed_by_id)
    VALUES (1, 1, ${contentHash}, now(), ${changedById}::uuid)
    ON CONFLICT (id) DO UPDATE SET version = content_version.version + 1, content_hash = EXCLUDED.content_hash,
      changed_at = EXCLUDED.changed_at, changed_by_id = EXCLUDED.changed_by_id
    RETURNING version`
  const version = Number(rows[0]!.version)
  await tx.$executeRaw`SELECT pg_notify(${CONTENT_CHANNEL}, ${String(version)})`
  return version
}
