// /reports/training — the people behind the in-person training figures of the report (same scope,
// focus, period and course): staff trained in person, or citizens (each counted once in the
// period, with how many sessions they attended), page by page, in Vietnamese order.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { trainingReportPeople, TRAINING_PEOPLE_PER_PAGE } from '~/modules/training/report.server'
import { prisma } from '~/utils/db.server'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { reportFromRequest } from './reports.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.report.peopleTitle)

export async function loader({ request }: LoaderFunctionArgs) {
  const { report, query, filters, actor } = await reportFromRequest(request)
  const url = new URL(request.url)
  const list = url.searchParams.get('list') === 'citizens' ? 'citizens' : 'staff'
  const page = pageParam(url)
  const people = await trainingReportPeople(prisma(), actor, filters, { list, page }).catch(throwAsResponse)
  const total = people.totals[list]
  const pages = Math.max(1, Math.ceil(total / TRAINING_PEOPLE_PER_PAGE))
  return {
    query,
    scope: report.focus?.name ?? null,
    list,
    page: Math.min(page, pages),
    pages,
    counts: people.totals,
    staff: people.staff,
    citizens: people.citizens,
  }
}

export default function TrainingPeople() {
  const { query, scope, list, page, pages, counts, staff, citizens } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.training.report
  const href = (l: string, p = 1) => `/reports/training?${new URLSearchParams([...new URLSearchParams(query), ['list', l], ['page', String(p)]])}`
  const n = (x: number) => new Intl.NumberFormat(locale).format(x)
  return (
    <section aria-labelledby="training-people-title">
      <p>
        <Link to={query ? `/reports?${query}` : '/reports'}>← {t.back}</Link>
      </p>
      <h1 id="training-people-title">{t.peopleTitle}</h1>
      {scope ? <p className="lead">{scope}</p> : null}
      <nav aria-label={t.peopleTitle}>
        <ul className="button-row">
          <li>
            <Link to={href('staff')} aria-current={list === 'staff' ? 'page' : undefined}>
              {t.staffList} ({n(counts.staff)})
            </Link>
          </li>
          <li>
            <Link to={href('citizens')} aria-current={list === 'citizens' ? 'page' : undefined}>
              {t.citizenList} ({n(counts.citizens)})
            </Link>
          </li>
        </ul>
      </nav>
      {list === 'staff' ? (
        <div className="table-wrap">
          <table className="report-table" data-testid="training-staff">
            <caption>{t.staffList}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.kind}</th>
                <th scope="col">{t.columns.sessions}</th>
                <th scope="col">{t.columns.check}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((p, i) => (
                <tr key={`${p.fullName}-${i}`}>
                  <td>{p.fullName}</td>
                  <td>{m.training.session.kinds[p.kind]}</td>
                  <td className="num">{p.sessions}</td>
                  <td>{p.passed === null ? '—' : p.passed ? t.checkPassed : t.checkNotPassed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="report-table" data-testid="training-citizens">
            <caption>{t.citizenList}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.birthYear}</th>
                <th scope="col">{t.columns.village}</th>
                <th scope="col">{t.columns.commune}</th>
                <th scope="col">{t.columns.gender}</th>
                <th scope="col">{t.columns.ethnicity}</th>
                <th scope="col">{t.columns.sessions}</th>
                <th scope="col">{t.columns.check}</th>
              </tr>
            </thead>
            <tbody>
              {citizens.map((p, i) => (
                <tr key={`${p.fullName}-${p.birthYear}-${i}`}>
                  <td>{p.fullName}</td>
                  <td>{p.birthYear}</td>
                  <td>{p.village}</td>
                  <td>{p.commune}</td>
                  <td>{p.gender ?? '—'}</td>
                  <td>{p.ethnicity ?? '—'}</td>
                  <td className="num">{p.sessions}</td>
                  <td>{p.passed === null ? '—' : p.passed ? t.checkPassed : t.checkNotPassed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} href={(p) => href(list, p)} />
      <p className="hint">{format(t.lead, {}, locale)}</p>
    </section>
  )
}
