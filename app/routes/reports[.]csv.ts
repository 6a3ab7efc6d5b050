// /reports.csv — the report table as CSV for Excel (UTF-8 with BOM), filters written at the top.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportFileName, reportSheet } from '~/modules/report/export.server'
import { toCsv } from '~/utils/spreadsheet.server'
import { reportFromRequest } from './reports.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, filters } = await reportFromRequest(request)
  return new Response(new Uint8Array(toCsv(reportSheet(report, filters))), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(report, 'csv')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
