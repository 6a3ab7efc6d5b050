// /reports.xlsx — the report table as an Excel workbook, filters written at the top.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportFileName, reportSheet } from '~/modules/report/export.server'
import { toXlsx } from '~/utils/spreadsheet.server'
import { reportFromRequest } from './reports.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, filters } = await reportFromRequest(request)
  return new Response(new Uint8Array(await toXlsx(reportSheet(report, filters))), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${exportFileName(report, 'xlsx')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
