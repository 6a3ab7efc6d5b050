// What the report's routes (page, print view, exports) share: read the filters, load the report.
import { requireUser } from '~/modules/auth/request.server'
import { parseReportFilters, type ReportFilters } from '~/modules/report/schema'
import { loadReport, type Report } from '~/modules/report/service.server'
import type { Actor } from '~/modules/scope/scope.server'
import { trainingReport } from '~/modules/training/report.server'
import type { TrainingFigures } from '~/modules/training/service.server'
import { prisma } from '~/utils/db.server'
import { messagesFor } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'

/** With `training`, the in-person training figures of the same scope, type, course and period. */
export async function reportFromRequest(
  request: Request,
  { training = false }: { training?: boolean } = {},
): Promise<{ report: Report; filters: ReportFilters; query: string; training: TrainingFigures | null; actor: Actor }> {
  const actor = await requireUser(request)
  const url = new URL(request.url)
  const parsed = parseReportFilters(url.searchParams)
  if (!parsed.ok) {
    const text = messagesFor('vi').reports.report.badFilter.replace('{field}', parsed.field)
    throw new Response(text, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const report = await loadReport(prisma(), actor, parsed.filters).catch(throwAsResponse)
  const figures = training ? await trainingReport(prisma(), actor, parsed.filters).catch(throwAsResponse) : null
  const keep = new URLSearchParams(
    Object.entries(parsed.filters).filter(([, v]) => v !== undefined && v !== '') as [string, string][],
  )
  return { report, filters: parsed.filters, query: keep.toString(), training: figures, actor }
}
