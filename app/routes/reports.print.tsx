// /reports/print — the report on A4 for submitting upward: Vietnamese title, date line, filters,
// the table, signature blocks. Always in Vietnamese (an official document), whatever the UI locale.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ReportTable } from '~/components/report'
import { dateLine, describeFilters } from '~/modules/report/export.server'
import { messagesFor } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'
import { reportFromRequest } from './reports.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = () => [{ title: messagesFor('vi').reports.report.printTitle }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, filters, query } = await reportFromRequest(request)
  return {
    query,
    focusId: report.focus?.id ?? null,
    rows: report.focus ? [report.focus, ...report.rows] : report.rows,
    dateLine: dateLine(report.generatedAt),
    filterLine: describeFilters(report, filters),
  }
}

export default function ReportPrint() {
  const { query, focusId, rows, dateLine, filterLine } = useLoaderData<typeof loader>()
  const m = messagesFor('vi')
  const r = m.reports.report
  return (
    <article className="print-page" lang="vi" aria-labelledby="print-title">
      <p className="no-print">
        <Link to={`/reports${query ? `?${query}` : ''}`}>← {r.back}</Link>
      </p>
      <header className="print-heading">
        <p className="print-date">{dateLine}</p>
        <h1 id="print-title">{r.printTitle}</h1>
        <p>{filterLine}</p>
      </header>
      <ReportTable rows={rows} focusId={focusId} m={m} locale="vi" query={query} links={false} />
      <p className="print-notes">{r.notes}</p>
      <div className="print-signatures">
        <div>
          <strong>{r.preparer}</strong>
          <br />
          <em>{r.signHint}</em>
        </div>
        <div>
          <strong>{r.head}</strong>
          <br />
          <em>{r.signHint}</em>
        </div>
      </div>
    </article>
  )
}
