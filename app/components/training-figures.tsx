// In-person training beside online learning, as the report page and the print view show it
// (docs/decisions/023): four figures, citizens per commune/village, staff and citizens by topic.
import { Link } from '@remix-run/react'
import type { Messages } from '~/locales/types'
import type { TrainingFigures } from '~/modules/training/service.server'
import type { Locale } from '~/utils/i18n'

export function TrainingFiguresBlock({ figures, m, locale, query, links = true, headingLevel = 2 }: { figures: TrainingFigures; m: Messages; locale: Locale; query: string; links?: boolean; headingLevel?: 2 | 3 }) {
  const t = m.training.report
  const n = (x: number) => new Intl.NumberFormat(locale).format(x)
  const suffix = query ? `?${query}` : ''
  return (
    <section aria-labelledby="training-figures-title" data-testid="training-figures">
      {headingLevel === 2 ? <h2 id="training-figures-title">{t.title}</h2> : <h3 id="training-figures-title">{t.title}</h3>}
      <p className="hint">{t.lead}</p>
      <div className="table-wrap">
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">{t.figure}</th>
              <th scope="col">{t.value}</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                [t.sessions, figures.sessions],
                [t.staffInPerson, figures.staffInPerson],
                [t.staffOnline, figures.staffOnline],
                [t.staffTogether, figures.staffTogether],
                [t.citizens, figures.citizens],
                ...(figures.checked > 0
                  ? ([
                      [t.checked, figures.checked],
                      [t.passed, figures.passed],
                    ] as const)
                  : []),
              ] as const
            ).map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{n(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {links ? (
        <ul className="report-exports">
          <li>
            <Link to={`/reports/training${suffix}`}>{t.people}</Link>
          </li>
          <li>
            <a href={`/reports/training.csv${suffix}`} download>
              {t.csv}
            </a>
          </li>
          <li>
            <a href={`/reports/training.xlsx${suffix}`} download>
              {t.xlsx}
            </a>
          </li>
        </ul>
      ) : null}
      {figures.byPlace.length === 0 && figures.byTopic.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <>
          <h3 id="training-place-title">{t.byPlace}</h3>
          <div className="table-wrap">
            <table className="report-table" aria-labelledby="training-place-title" data-testid="training-by-place">
              <thead>
                <tr>
                  <th scope="col">{t.columns.commune}</th>
                  <th scope="col">{t.columns.village}</th>
                  <th scope="col">{t.columns.citizens}</th>
                </tr>
              </thead>
              <tbody>
                {figures.byPlace.map((p) => (
                  <tr key={`${p.commune}|${p.village}`}>
                    <td>{p.commune}</td>
                    <td>{p.village || '—'}</td>
                    <td className="num">{n(p.citizens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 id="training-topic-title">{t.byTopic}</h3>
          <div className="table-wrap">
            <table className="report-table" aria-labelledby="training-topic-title" data-testid="training-by-topic">
              <thead>
                <tr>
                  <th scope="col">{t.columns.topic}</th>
                  <th scope="col">{t.columns.staff}</th>
                  <th scope="col">{t.columns.citizens}</th>
                </tr>
              </thead>
              <tbody>
                {figures.byTopic.map((p) => (
                  <tr key={p.topic}>
                    <td>{p.topic}</td>
                    <td className="num">{n(p.staff)}</td>
                    <td className="num">{n(p.citizens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {figures.citizens > 0 ? (
            <>
              <LabelTable id="training-gender" title={t.byGender} column={t.columns.gender} rows={figures.byGender} m={m} n={n} />
              <LabelTable id="training-ethnicity" title={t.byEthnicity} column={t.columns.ethnicity} rows={figures.byEthnicity} m={m} n={n} />
            </>
          ) : null}
        </>
      )}
    </section>
  )
}

/** Citizens by a recorded attribute (gender, ethnicity); "not recorded" last. */
function LabelTable({ id, title, column, rows, m, n }: { id: string; title: string; column: string; rows: { label: string; citizens: number }[]; m: Messages; n: (x: number) => string }) {
  return (
    <>
      <h3 id={`${id}-title`}>{title}</h3>
      <div className="table-wrap">
        <table className="report-table" aria-labelledby={`${id}-title`} data-testid={id}>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col">{m.training.report.columns.citizens}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <td>{r.label || m.training.report.notRecorded}</td>
                <td className="num">{n(r.citizens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
