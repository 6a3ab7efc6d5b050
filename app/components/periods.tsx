// Periodic reports (docs/decisions/020): the figures of a report (draft or frozen), its children's
// consolidation, and the trend chart — plain HTML and server-rendered SVG, no JavaScript. The
// table under the chart is its text alternative.
import { TrainingFiguresBlock } from '~/components/training-figures'
import type { Messages } from '~/locales/types'
import { percentText } from '~/modules/periods/labels'
import { SNAPSHOT_FIGURES, vnDay, type SnapshotFigures } from '~/modules/periods/types'
import { format } from '~/utils/i18n'

export function PlanLine({ figures, m }: { figures: SnapshotFigures; m: Messages }) {
  const t = m.periods.figures
  const plan = figures.plan
  if (!plan) return <p>{t.noPlan}</p>
  const courses = plan.courses.length ? plan.courses.map((c) => c.title).join(', ') : t.anyCourse
  return (
    <p data-testid="plan-line">
      {format(t.plan, { year: String(plan.year), target: String(plan.targetPercent), courses, due: vnDay(plan.dueOn) })}
      {plan.inherited ? ` ${format(t.planInherited, { agency: plan.setAt.name })}` : null}
    </p>
  )
}

/** `peopleLinks`: the live draft links the training figures to the people behind them and their exports (the period's filters). */
export function FiguresBlock({ figures, m, locale, testId, peopleLinks = false }: { figures: SnapshotFigures; m: Messages; locale: string; testId?: string; peopleLinks?: boolean }) {
  const t = m.periods.figures
  const n = (v: number) => new Intl.NumberFormat(locale).format(v)
  return (
    <div data-testid={testId}>
      <PlanLine figures={figures} m={m} />
      <p data-testid="key-figure">
        <strong>
          {format(t.key, { count: n(figures.key.count), headcount: n(figures.key.headcount), percent: percentText(figures.key.percent, locale) })}
        </strong>
        {figures.key.targetPercent !== null ? ` — ${format(t.keyVsTarget, { target: String(figures.key.targetPercent) })}` : null}
      </p>
      <div className="table-wrap">
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">{t.figure}</th>
              <th scope="col">{t.total}</th>
              {figures.courses.map((c) => (
                <th scope="col" key={c.id}>
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SNAPSHOT_FIGURES.map((f) => (
              <tr key={f}>
                <th scope="row">{t.rows[f]}</th>
                <td className="num">{n(figures.total[f])}</td>
                {figures.courses.map((c) => (
                  <td className="num" key={c.id}>
                    {n(c.figures[f])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {figures.training ? (
        <>
          <p className="hint">{format(t.trainingPeriod, { from: vnDay(figures.period.startsOn), to: vnDay(figures.period.endsOn) })}</p>
          <TrainingFiguresBlock
            figures={figures.training}
            m={m}
            locale={locale === 'en' ? 'en' : 'vi'}
            query={new URLSearchParams({ agency: figures.agency.id, from: figures.period.startsOn, to: figures.period.endsOn }).toString()}
            links={peopleLinks}
            headingLevel={3}
          />
        </>
      ) : null}
      <ChildrenBlock figures={figures} m={m} locale={locale} />
    </div>
  )
}

export function ChildrenBlock({ figures, m, locale }: { figures: SnapshotFigures; m: Messages; locale: string }) {
  const t = m.periods.figures
  if (figures.children.length === 0) return null
  const n = (v: number) => new Intl.NumberFormat(locale).format(v)
  const c = figures.consolidated
  const missing = figures.children.filter((ch) => !ch.figures)
  return (
    <section aria-labelledby="children-title" data-testid="consolidated">
      <h3 id="children-title">{t.children}</h3>
      <p>{format(t.childrenLine, { reported: String(c.reported), expected: String(c.expected), percent: percentText(c.percent, locale) })}</p>
      <p data-testid="not-submitted">{missing.length ? format(t.notSubmitted, { names: missing.map((ch) => ch.name).join(', ') }) : t.allSubmitted}</p>
      {c.training && c.reported > 0 ? (
        <p data-testid="consolidated-training">
          {format(t.childrenTraining, { sessions: n(c.training.sessions), staff: n(c.training.staffInPerson), online: n(c.training.staffOnline), citizens: n(c.training.citizens) })}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">{t.childColumns.agency}</th>
              <th scope="col">{t.childColumns.status}</th>
              <th scope="col">{t.childColumns.headcount}</th>
              <th scope="col">{t.childColumns.valid}</th>
              <th scope="col">{t.childColumns.key}</th>
            </tr>
          </thead>
          <tbody>
            {figures.children.map((ch) => (
              <tr key={ch.agencyId}>
                <th scope="row">{ch.name}</th>
                <td>{m.periods.status[ch.status]}</td>
                <td className="num">{ch.figures ? n(ch.headcount) : '—'}</td>
                <td className="num">{ch.figures ? n(ch.keyCount) : '—'}</td>
                <td className="num">{ch.figures ? percentText(ch.headcount ? Math.round((ch.keyCount / ch.headcount) * 1000) / 10 : null, locale) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

export interface TrendPoint {
  label: string
  keyPercent: number | null
  reportingRate: number | null
  onTimeRate: number | null
}

/** One bar per period (the key figure), the target as a dashed line; the table is the text alternative. */
export function TrendChart({ points, target, m, locale }: { points: TrendPoint[]; target: number | null; m: Messages; locale: string }) {
  const t = m.periods.overview
  if (points.length === 0) return null
  const width = 640
  const height = 240
  const top = 16
  const bottom = 40
  const plot = height - top - bottom
  const slot = (width - 40) / points.length
  const y = (pct: number) => top + plot - (pct / 100) * plot
  return (
    <figure className="report-chart">
      <svg role="img" aria-labelledby="trend-title trend-desc" viewBox={`0 0 ${width} ${height}`} width="100%" data-testid="trend-chart">
        <title id="trend-title">{t.trendTitle}</title>
        <desc id="trend-desc">{t.trendDesc}</desc>
        <line x1={36} x2={width} y1={y(0)} y2={y(0)} stroke="#1b1f1d" />
        {[0, 50, 100].map((v) => (
          <text key={v} x={0} y={y(v) + 5} fontSize="12" fill="#1b1f1d">
            {v}%
          </text>
        ))}
        {points.map((p, i) => {
          const x = 40 + i * slot + slot * 0.2
          const value = p.keyPercent ?? 0
          return (
            <g key={`${p.label}-${i}`}>
              <rect x={x} y={y(value)} width={slot * 0.6} height={Math.max(value > 0 ? 1 : 0, y(0) - y(value))} fill="#0b5d3b">
                <title>{`${p.label}: ${percentText(p.keyPercent, locale)}`}</title>
              </rect>
              <text x={x + slot * 0.3} y={y(value) - 4} fontSize="12" textAnchor="middle" fill="#1b1f1d">
                {percentText(p.keyPercent, locale)}
              </text>
              <text x={x + slot * 0.3} y={height - bottom + 18} fontSize="12" textAnchor="middle" fill="#1b1f1d">
                {p.label}
              </text>
            </g>
          )
        })}
        {target !== null ? (
          <g>
            <line x1={36} x2={width} y1={y(target)} y2={y(target)} stroke="#8a1c1c" strokeDasharray="6 4" />
            <text x={width - 4} y={y(target) - 4} fontSize="12" textAnchor="end" fill="#8a1c1c">
              {format(t.trendTarget, { value: String(target) })}
            </text>
          </g>
        ) : null}
      </svg>
      <div className="table-wrap">
        <table className="report-table" data-testid="trend-table">
          <thead>
            <tr>
              <th scope="col">{t.trendColumns.period}</th>
              <th scope="col">{t.trendColumns.key}</th>
              <th scope="col">{t.trendColumns.reporting}</th>
              <th scope="col">{t.trendColumns.onTime}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={`${p.label}-${i}`}>
                <th scope="row">{p.label}</th>
                <td className="num">{percentText(p.keyPercent, locale)}</td>
                <td className="num">{percentText(p.reportingRate, locale)}</td>
                <td className="num">{percentText(p.onTimeRate, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
