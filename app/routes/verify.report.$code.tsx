// /verify/report/:code — the public check of a printed periodic report (its QR code opens this):
// the frozen snapshot's figures, narrative, who submitted and reviewed and when — nothing live,
// nothing about people. An unknown code is a 404.
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { FiguresBlock } from '~/components/periods'
import { periodLabel } from '~/modules/periods/labels'
import { verifySnapshot } from '~/modules/periods/workflow.server'
import { prisma } from '~/utils/db.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })
export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (m) => m.periods.verify.title), { name: 'robots', content: 'noindex' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const snapshot = await verifySnapshot(prisma(), routeParams(params, { code: param.token }).code)
  if (!snapshot) return data({ snapshot: null }, { status: 404 })
  return { snapshot }
}

export default function VerifyReport() {
  const { snapshot: s } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.periods.verify
  if (!s) {
    return (
      <section aria-labelledby="verify-title">
        <h1 id="verify-title">{t.unknownTitle}</h1>
        <p data-testid="verify-unknown">{t.unknownText}</p>
      </section>
    )
  }
  const r = m.periods.report
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t.title}</h1>
      <p>{t.genuine}</p>
      <h2>
        {s.figures.agency.name} — {periodLabel(m, s.figures.period)} — {format(r.version, { version: String(s.version) })}
      </h2>
      <p>
        {format(r.submittedBy, { name: s.submittedByName, time: formatDateTime(s.submittedAt, locale, 'short') })} {s.late ? r.lateMark : null}
      </p>
      {s.review ? (
        <p data-testid="verify-review">
          {format(r.reviewed, { decision: r.decisions[s.review.decision], name: s.review.reviewedByName, time: formatDateTime(s.review.reviewedAt, locale, 'short') })}
          {s.review.reason ? ` — ${format(r.reasonShown, { reason: s.review.reason })}` : null}
        </p>
      ) : null}
      {s.latestVersion > s.version ? <p>{format(t.superseded, { version: String(s.latestVersion) })}</p> : null}
      <FiguresBlock figures={s.figures} m={m} locale={locale} testId="verify-figures" />
      <h3>{m.periods.print.narrative}</h3>
      <p className="narrative">{s.narrative || m.periods.print.noNarrative}</p>
    </section>
  )
}
