// The trained-staff report table and its bar chart: plain HTML and SVG rendered on the server,
// no chart JavaScript. The table is the chart's text alternative.
import { Link } from '@remix-run/react'
import type { Messages } from '~/locales/types'
import { format } from '~/utils/i18n'

type Figure = 'headcount' | 'enrolled' | 'completed' | 'valid' | 'expiring' | 'expired' | 'overdue'
const FIGURES: Figure[] = ['headcount', 'enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue']
/** Which people list a number opens (headcount opens the roster). */
const METRIC: Record<Figure, string> = {
  headcount: 'staff',
  enrolled: 'enrolled',
  completed: 'completed',
  valid: 'valid',
  expiring: 'expiring',
  expired: 'expired',
  overdue: 'overdue',
}

export interface ReportRowView {
  id: string
  code: string
  name: string
  type: string
  children: number
  own: Record<Figure | 'staff', number>
  total: Record<Figure | 'staff', number>
  share: number | null
}

export function percent(share: number | null, locale: string): string {
  return share === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share)
}

interface TableProps {
  rows: ReportRowView[]
  focusId: string | null
  m: Messages
  locale: string
  /** Query string of the filters, without "?" (links keep them). */
  query: string
  /** Links to drill down and to people (false in the print view). */
  links: boolean
}

export function ReportTable({ rows, focusId, m, locale, query, links }: TableProps) {
  const r = m.reports.report
  const n = (value: number) => new Intl.NumberFormat(locale).format(value)
  const peopleHref = (row: ReportRowView, f: Figure, subtree: boolean) =>
    `/reports/people?${new URLSearchParams(query)}&${new URLSearchParams({ agency: row.id, metric: METRIC[f], subtree: subtree ? '1' : '0' })}`
  const drillHref = (row: ReportRowView) => {
    const params = new URLSearchParams(query)
    params.set('agency', row.id)
    return `/reports?${params}`
  }
  return (
    <div className="table-wrap">
      <table className="report-table" data-testid="report-table">
        <caption className="visually-hidden">{r.title}</caption>
        <thead>
          <tr>
            <th scope="col">{r.columns.agency}</th>
            {FIGURES.map((f) => (
              <th scope="col" key={f} className="num">
                {r.columns[f]}
              </th>
            ))}
            <th scope="col" className="num">
              {r.columns.share}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const isFocus = row.id === focusId
            return (
              <tr key={row.id} className={isFocus ? 'report-total' : undefined} data-agency={row.code}>
                <th scope="row">
                  {isFocus ? format(r.totalRow, { name: row.name }) : links && row.children > 0 ? (
                    <Link to={drillHref(row)} aria-label={format(r.drill, { name: row.name })}>
                      {row.name}
                    </Link>
                  ) : (
                    row.name
                  )}
                  <span className="report-code">
                    {row.code} · {m.reports.agencyTypes[row.type as keyof Messages['reports']['agencyTypes']]}
                  </span>
                </th>
                {FIGURES.map((f) => (
                  <td key={f} className="num" data-figure={f}>
                    {links ? <Link to={peopleHref(row, f, true)}>{n(row.total[f])}</Link> : n(row.total[f])}
                    {row.children > 0 ? (
                      <span className="report-own" data-own={f}>
                        {r.ownShort}: {links ? <Link to={peopleHref(row, f, false)}>{n(row.own[f])}</Link> : n(row.own[f])}
                      </span>
                    ) : null}
                  </td>
                ))}
                <td className="num" data-figure="share">
                  {percent(row.share, locale)}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

/** Horizontal bars, one per agency: share of headcount that completed. Pure SVG, server-rendered. */
export function ShareChart({ rows, m, locale }: { rows: ReportRowView[]; m: Messages; locale: string }) {
  const r = m.reports.report
  const width = 640
  const barArea = 520
  const rowHeight = 44
  const height = rows.length * rowHeight + 8
  if (rows.length === 0) return null
  return (
    <figure className="report-chart">
      <svg role="img" aria-labelledby="chart-title chart-desc" viewBox={`0 0 ${width} ${height}`} width="100%" data-testid="share-chart">
        <title id="chart-title">{r.chartTitle}</title>
        <desc id="chart-desc">{r.chartDesc}</desc>
        {rows.map((row, i) => {
          const y = i * rowHeight + 4
          const share = row.share ?? 0
          const label = `${row.name}: ${percent(row.share, locale)}`
          return (
            <g key={row.id}>
              <text x={0} y={y + 14} fontSize="14" fill="#1b1f1d">
                {row.name}
              </text>
              <rect x={0} y={y + 20} width={barArea} height={16} fill="#e4ebe7" />
              <rect x={0} y={y + 20} width={Math.max(share > 0 ? 2 : 0, share * barArea)} height={16} fill="#0b5d3b">
                <title>{label}</title>
              </rect>
              <text x={barArea + 8} y={y + 33} fontSize="14" fill="#1b1f1d">
                {percent(row.share, locale)}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
