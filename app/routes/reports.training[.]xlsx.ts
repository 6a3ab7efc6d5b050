// /reports/training.xlsx — in-person training of the report's scope and period as an Excel workbook: the filters at
// the top, the figures, citizens per commune/village, by topic, and the people behind them.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { dateLine, describeFilters } from '~/modules/report/export.server'
import { trainingExport, trainingSheet } from '~/modules/training/report.server'
import { prisma } from '~/utils/db.server'
import { throwAsResponse } from '~/utils/responses.server'
import { toXlsx } from '~/utils/spreadsheet.server'
import { reportFromRequest } from './reports.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, filters, actor } = await reportFromRequest(request)
  const data = await trainingExport(prisma(), actor, filters).catch(throwAsResponse)
  const sheet = trainingSheet(data, [dateLine(report.generatedAt), describeFilters(report, filters)])
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' }).format(report.generatedAt)
  return new Response(new Uint8Array(await toXlsx(sheet)), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="tap-huan-truc-tiep-${report.focus?.code ?? 'tong-hop'}-${day}.xlsx"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
