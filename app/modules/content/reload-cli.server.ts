// `npm run content:reload` (app/server/cli.ts content-reload): the same reload as the admin page,
// from a shell. Prints what changed (or, with --dry-run, what would), or every problem of a refused
// tree; returns the exit code (0 done, 1 refused).
import type { PrismaClient } from '@prisma/client'
import type { MirrorChange } from './mirror.server'
import { previewReload, publishContent } from './reload.server'
import { ContentError } from './service.server'
import { formatProblem } from './types'

const CHANGE: Record<MirrorChange['change'], string> = { created: 'mới', updated: 'sửa', retired: 'ngừng dùng' }

export function describeChange(change: MirrorChange): string {
  const what = change.kind === 'course' ? `khoá ${change.slug}` : `bài ${change.courseSlug}/${change.slug}`
  return `${CHANGE[change.change]}: ${what} — ${change.title}`
}

export async function reloadFromCli(prisma: PrismaClient, { dryRun, out = (l) => process.stdout.write(`${l}\n`), err = (l) => process.stderr.write(`${l}\n`) }: { dryRun: boolean; out?: (line: string) => void; err?: (line: string) => void }): Promise<number> {
  if (dryRun) {
    const preview = await previewReload({ prisma })
    if (!preview.ok) return refused(preview.error, err)
    out(`[nội dung] hợp lệ: ${preview.courses} khoá, ${preview.lessons} bài; phiên bản trong cơ sở dữ liệu: ${preview.version}.`)
    if (preview.changes.length === 0) out('[nội dung] không có khoá hay bài nào thay đổi.')
    for (const change of preview.changes) out(`  ${describeChange(change)}`)
    out('[nội dung] chưa ghi gì (--dry-run). Chạy lại không có --dry-run để nạp.')
    return 0
  }
  try {
    const done = await publishContent({ prisma })
    out(`[nội dung] hợp lệ: ${done.stats.courses} khoá, ${done.stats.lessons} bài; biên dịch ${done.stats.compiles} tệp MDX (${done.stats.ms} ms).`)
    for (const change of done.changes) out(`  ${describeChange(change)}`)
    out(
      done.bumped
        ? `[nội dung] đã nạp: phiên bản nội dung ${done.version}. Mọi tiến trình máy chủ chuyển sang phiên bản này trong vài giây.`
        : `[nội dung] không có gì thay đổi: vẫn là phiên bản ${done.version}.`,
    )
    return 0
  } catch (error) {
    if (error instanceof ContentError) return refused(error, err)
    throw error
  }
}

function refused(error: ContentError, err: (line: string) => void): number {
  for (const problem of error.problems) err(formatProblem(problem))
  err(`\nNội dung có ${error.problems.length} lỗi: không nạp, các máy chủ vẫn phục vụ nội dung cũ.`)
  return 1
}
