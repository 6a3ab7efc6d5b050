// /reports — the trained-staff report of the actor's scope: filters, drill-down, the table, the
// share chart, exports and the print view. Works without JavaScript (GET forms and links only).
// The rows under the focus are paged (ROWS_PER_PAGE), so that a province of 100+ communes stays a
// light page; the exports and the print view keep every row.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { ReportTable, ShareChart } from '~/components/report'
import { TrainingFiguresBlock } from '~/components/training-figures'
import { AGENCY_TYPES } from '~/modules/agency/types'
import { formatDateTime, format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { reportFromRequest } from './reports.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.report.title)

const ROWS_PER_PAGE = 30

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, filters, query, training } = await reportFromRequest(request, { training: true })
  const pages = Math.max(1, Math.ceil(report.rows.length / ROWS_PER_PAGE))
  const page = Math.min(pageParam(new URL(request.url)), pages)
  return {
    filters,
    query,
    page,
    pages,
    focus: report.focus,
    rows: report.rows.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE),
    breadcrumb: report.breadcrumb,
    courses: report.courses,
    generatedAt: report.generatedAt.toISOString(),
    training: training!,
  }
}

export default function Reports() {
  const { filters, query, page, pages, focus, rows, breadcrumb, courses, generatedAt, training } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const r = m.reports.report
  const withoutAgency = new URLSearchParams(query)
  withoutAgency.delete('agency')
  const crumbHref = (id: string | null) => {
    const params = new URLSearchParams(withoutAgency)
    if (id) params.set('agency', id)
    const s = params.toString()
    return s ? `/reports?${s}` : '/reports'
  }
  const suffix = query ? `?${query}` : ''
  const tableRows = focus ? [focus, ...rows] : rows
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{r.title}</h1>
      <p className="lead">{r.lead}</p>
      <p>
        <Link to="/reports/periods">{m.periods.nav}</Link> · <Link to="/reports/plans">{m.periods.list.plans}</Link>
      </p>

      <nav aria-label={r.scope} className="breadcrumb">
        <ol>
          <li>
            <Link to={crumbHref(null)}>{r.top}</Link>
          </li>
          {breadcrumb.map((b) => (
            <li key={b.id}>
              <Link to={crumbHref(b.id)}>{b.name}</Link>
            </li>
          ))}
          {focus ? <li aria-current="page">{focus.name}</li> : null}
        </ol>
      </nav>

      <Form method="get" className="report-filters" aria-label={r.filters}>
        {filters.agency ? <input type="hidden" name="agency" value={filters.agency} /> : null}
        <div className="field">
          <label htmlFor="f-course">{r.course}</label>
          <select id="f-course" name="course" defaultValue={filters.course ?? ''}>
            <option value="">{r.allCourses}</option>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{r.from}</label>
          <input id="f-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{r.to}</label>
          <input id="f-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-type">{r.type}</label>
          <select id="f-type" name="type" defaultValue={filters.type ?? ''}>
            <option value="">{r.allTypes}</option>
            {AGENCY_TYPES.map((t) => (
              <option key={t} value={t}>
                {m.reports.agencyTypes[t]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button-primary">
          {r.apply}
        </button>
      </Form>

      {tableRows.length === 0 ? (
        <p role="status">{r.noRows}</p>
      ) : (
        <ReportTable rows={tableRows} focusId={focus?.id ?? null} m={m} locale={locale} query={query} links />
      )}
      <Pagination page={page} pages={pages} href={(n) => `/reports?${new URLSearchParams([...new URLSearchParams(query), ['page', String(n)]])}`} />
      <p className="hint">{format(r.generated, { time: formatDateTime(generatedAt, locale) })}</p>
      <p className="hint">{r.notes}</p>

      <TrainingFiguresBlock figures={training} m={m} locale={locale} query={query} />

      <h2>{r.export}</h2>
      <ul className="report-exports">
        <li>
          <a href={`/reports.csv${suffix}`} download>
            {r.csv}
          </a>
        </li>
        <li>
          <a href={`/reports.xlsx${suffix}`} download>
            {r.xlsx}
          </a>
        </li>
        <li>
          <Link to={`/reports/print${suffix}`}>{r.print}</Link>
        </li>
        <li>
          <a href={`/reports/hr.csv${suffix}`} download>
            {m.hr.csv}
          </a>
        </li>
        <li>
          <a href={`/reports/hr.xlsx${suffix}`} download>
            {m.hr.xlsx}
          </a>
        </li>
      </ul>

      {rows.length > 0 ? (
        <>
          <h2>{r.chartTitle}</h2>
          <ShareChart rows={rows} m={m} locale={locale} />
        </>
      ) : null}
    </section>
  )
}
