// /reports/people — the people behind one number of the report, inside the actor's scope only.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { requireUser } from '~/modules/auth/request.server'
import { parseReportFilters, PeopleQuerySchema } from '~/modules/report/schema'
import { loadPeople } from '~/modules/report/service.server'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.report.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const url = new URL(request.url)
  const filters = parseReportFilters(url.searchParams)
  const q = PeopleQuerySchema.safeParse(Object.fromEntries(['agency', 'metric', 'subtree'].map((k) => [k, url.searchParams.get(k) ?? ''])))
  if (!filters.ok || !q.success) throw new Response('Tham số không hợp lệ.', { status: 400 })
  const page = pageParam(url)
  const result = await loadPeople(prisma(), actor, filters.filters, { agencyId: q.data.agency, metric: q.data.metric, subtree: q.data.subtree, page }).catch(
    throwAsResponse,
  )
  const back = new URLSearchParams(url.searchParams)
  for (const k of ['metric', 'subtree', 'page']) back.delete(k)
  return { ...q.data, page, back: back.toString(), search: url.searchParams.toString(), ...result }
}

export default function ReportPeople() {
  const { metric, subtree, agencyName, people, total, page, pages, back, search } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const p = m.reports.people
  const href = (n: number) => {
    const params = new URLSearchParams(search)
    params.set('page', String(n))
    return `?${params}`
  }
  const status = (row: (typeof people)[number]) =>
    (['completed', 'valid', 'expiring', 'expired', 'overdue'] as const)
      .filter((k) => row[k])
      .map((k) => p.metrics[k])
      .join(', ') || (row.enrolled ? p.metrics.enrolled : '—')
  return (
    <section aria-labelledby="people-title">
      <p>
        <Link to={`/reports?${back}`}>← {m.reports.report.back}</Link>
      </p>
      <h1 id="people-title">{format(p.title, { metric: p.metrics[metric], agency: agencyName })}</h1>
      <p>
        {subtree ? p.subtree : p.ownOnly} · <span role="status">{format(p.count, { count: total }, locale)}</span>
      </p>
      {people.length === 0 ? (
        <p>{p.none}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="people-table">
            <thead>
              <tr>
                <th scope="col">{p.columns.code}</th>
                <th scope="col">{p.columns.name}</th>
                <th scope="col">{p.columns.title}</th>
                <th scope="col">{p.columns.agency}</th>
                <th scope="col">{p.columns.account}</th>
                <th scope="col">{p.columns.status}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((row) => (
                <tr key={row.staff_id}>
                  <td>{row.staff_code}</td>
                  <td>{row.full_name}</td>
                  <td>{row.job_title ?? '—'}</td>
                  <td>{row.agency_name}</td>
                  <td>{row.linked ? p.linked : p.unlinked}</td>
                  <td>{status(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} href={href} />
    </section>
  )
}
