// /reports/hr.csv — the per-person register for HR (staff code, name, agency, course, completion date,
// certificate number, expiry) in the report's scope and filters (app/modules/report/hr-export.server.ts).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { hrFileName, hrSheet, loadHrRegister } from '~/modules/report/hr-export.server'
import { prisma } from '~/utils/db.server'
import { throwAsResponse } from '~/utils/responses.server'
import { toCsv } from '~/utils/spreadsheet.server'
import { reportFromRequest } from './reports.server'

export async function loader({ request }: LoaderFunctionArgs) {
  // The report first: it checks the filters (400), the scope (403) and the focus agency (404).
  const { report, filters, actor } = await reportFromRequest(request)
  const rows = await loadHrRegister(prisma(), actor, filters).catch(throwAsResponse)
  const sheet = hrSheet(rows, report, filters)
  return new Response(new Uint8Array(toCsv(sheet)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${hrFileName(report, 'csv')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
