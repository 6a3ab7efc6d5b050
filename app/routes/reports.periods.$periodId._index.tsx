// /reports/periods/:periodId — the period for the level above: the agencies directly under the focus
// (?agency=, else the top of the viewer's scope), who submitted on time, late, not at all or was
// returned; reporting and on-time rates; the difference from the previous period; the trend of the
// key figure over the last periods as a server-rendered chart (docs/decisions/020).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TrendChart } from '~/components/periods'
import { requireUser } from '~/modules/auth/request.server'
import { periodLabel, percentText } from '~/modules/periods/labels'
import { loadOverview } from '~/modules/periods/overview.server'
import { effectivePlan } from '~/modules/periods/plan.server'
import { prisma } from '~/utils/db.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.periods.list.title)

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { periodId } = routeParams(params, { periodId: param.uuid })
  const agency = new URL(request.url).searchParams.get('agency')
  const focusId = agency && param.uuid.safeParse(agency).success ? agency : null
  if (agency && !focusId) throw new Response('404 — Không tìm thấy đơn vị này. (Not found.)', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const o = await loadOverview(prisma(), actor, { periodId, focusId }).catch(throwAsResponse)
  const plan = await effectivePlan(prisma(), o.focus.id, o.period.year)
  return {
    period: { id: o.period.id, kind: o.period.kind, year: o.period.year, number: o.period.number, dueAt: o.period.dueAt.toISOString() },
    focus: o.focus,
    own: o.own,
    rows: o.rows,
    counts: o.counts,
    current: o.current,
    previous: o.previous,
    trend: o.trend,
    target: plan?.targetPercent ?? null,
  }
}

export default function PeriodOverview() {
  const { period, focus, own, rows, counts, current, previous, trend, target } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.periods.overview
  const label = periodLabel(m, period)
  const diff = (a: number | null | undefined, b: number | null | undefined) => {
    if (a === null || a === undefined || b === null || b === undefined) return '—'
    const d = Math.round((a - b) * 10) / 10
    return format(t.points, { value: `${d > 0 ? '+' : ''}${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(d)}` })
  }
  return (
    <section aria-labelledby="overview-title">
      <p>
        <Link to="/reports/periods">← {t.back}</Link>
      </p>
      <h1 id="overview-title">{format(t.title, { period: label })}</h1>
      <p className="lead">{format(t.lead, { agency: focus.name })}</p>
      {own ? (
        <p data-testid="own-report">
          {format(t.ownReport, { name: focus.name, status: m.periods.status[own.status] })}{' '}
          <Link to={`/reports/periods/${period.id}/${focus.id}`}>{format(t.openOwn, { name: focus.name })}</Link>
        </p>
      ) : null}
      <dl className="facts" data-testid="overview-counts">
        <dt>{t.expected}</dt>
        <dd>{counts.expected}</dd>
        <dt>{t.onTime}</dt>
        <dd>{counts.onTime}</dd>
        <dt>{t.late}</dt>
        <dd>{counts.late}</dd>
        <dt>{t.returned}</dt>
        <dd>{counts.returned}</dd>
        <dt>{t.missing}</dt>
        <dd>{counts.missing}</dd>
        <dt>{t.pending}</dt>
        <dd>{counts.pending}</dd>
        <dt>{t.reportingRate}</dt>
        <dd data-testid="reporting-rate">{percentText(current?.reportingRate ?? null, locale)}</dd>
        <dt>{t.onTimeRate}</dt>
        <dd data-testid="on-time-rate">{percentText(current?.onTimeRate ?? null, locale)}</dd>
        <dt>{t.keyFigure}</dt>
        <dd data-testid="key-rate">{percentText(current?.keyPercent ?? null, locale)}</dd>
      </dl>
      {previous ? (
        <>
          <h2>{format(t.previous, { period: periodLabel(m, previous) })}</h2>
          <dl className="facts" data-testid="previous-diff">
            <dt>{t.reportingRate}</dt>
            <dd>{diff(current?.reportingRate, previous.reportingRate)}</dd>
            <dt>{t.onTimeRate}</dt>
            <dd>{diff(current?.onTimeRate, previous.onTimeRate)}</dd>
            <dt>{t.keyFigure}</dt>
            <dd>{diff(current?.keyPercent, previous.keyPercent)}</dd>
          </dl>
        </>
      ) : (
        <p>{t.noPrevious}</p>
      )}
      {rows.length === 0 ? (
        <p>{t.noChildren}</p>
      ) : (
        <div className="table-wrap">
          <table className="report-table" data-testid="overview-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.status}</th>
                <th scope="col">{t.columns.submittedAt}</th>
                <th scope="col">{t.columns.key}</th>
                <th scope="col">{t.columns.open}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.agencyId} data-state={r.state}>
                  <th scope="row">
                    {r.hasChildren ? (
                      <Link to={`/reports/periods/${period.id}?agency=${r.agencyId}`} aria-label={format(t.drill, { name: r.name })}>
                        {r.name}
                      </Link>
                    ) : (
                      r.name
                    )}
                  </th>
                  <td>
                    {m.periods.states[r.state]}
                    {r.status === 'APPROVED' ? ` · ${m.periods.status.APPROVED}` : null}
                  </td>
                  <td>{r.submittedAt ? formatDateTime(r.submittedAt, locale, 'short') : '—'}</td>
                  <td className="num">{percentText(r.keyPercent, locale)}</td>
                  <td>
                    <Link to={`/reports/periods/${period.id}/${r.agencyId}`} aria-label={format(t.view, { name: r.name })}>
                      {m.periods.status[r.status]}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t.trendTitle}</h2>
      <TrendChart
        points={trend.map((p) => ({ label: periodLabel(m, p), keyPercent: p.keyPercent, reportingRate: p.reportingRate, onTimeRate: p.onTimeRate }))}
        target={target}
        m={m}
        locale={locale}
      />
    </section>
  )
}
