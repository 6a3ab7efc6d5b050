// /classes/:classId/export/csv and …/xlsx — the teacher's table as a file (only for the class's teacher).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/request.server'
import { classForTeacher } from '~/modules/classes/service.server'
import { classTable, tableMatrix } from '~/modules/classes/table.server'
import { foldVietnamese } from '~/utils/text'
import { formatDateTime, localeFromCookieHeader, messagesFor } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import { toCsv, toXlsx, type SheetData } from '~/utils/spreadsheet.server'
import { param, routeParams } from '~/utils/params.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { format: formatParam } = routeParams(params, { format: param.oneOf(['csv', 'xlsx']) })
  let cls
  try {
    cls = await classForTeacher({ actor: user, classId: routeParams(params, { classId: param.uuid }).classId })
  } catch (error) {
    throwAsResponse(error)
  }
  const locale = localeFromCookieHeader(request.headers.get('cookie'))
  const table = await classTable({ classId: cls.id })
  const matrix = tableMatrix(table, messagesFor(locale).classes.export, (d) => formatDateTime(d, locale, 'short'))
  const [header = [], ...rows] = matrix.map((row) => row.map((cell) => (typeof cell === 'number' ? cell : String(cell))))
  const sheet: SheetData = { name: cls.name || 'Lop', preamble: [], header: header.map(String), rows }
  const base = foldVietnamese(cls.name).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'lop'
  const headers = { 'Cache-Control': 'private, no-store' }
  if (formatParam === 'csv') {
    return new Response(new Uint8Array(toCsv(sheet)), {
      headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${base}.csv"` },
    })
  }
  return new Response(new Uint8Array(await toXlsx(sheet)), {
    headers: {
      ...headers,
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${base}.xlsx"`,
    },
  })
}
