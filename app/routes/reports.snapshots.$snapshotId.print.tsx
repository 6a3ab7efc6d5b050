// /reports/snapshots/:snapshotId/print — a submitted report on A4 in Vietnamese administrative
// style: national heading, agency, period, frozen figures, narrative, who submitted and reviewed,
// signature blocks, and a check code with a QR code that opens the frozen snapshot publicly.
import { AdminHeading } from '~/components/admin-heading'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { FiguresBlock } from '~/components/periods'
import { requireUser } from '~/modules/auth/request.server'
import { snapshotFacts } from '~/modules/periods/export.server'
import { loadSnapshot } from '~/modules/periods/workflow.server'
import { prisma } from '~/utils/db.server'
import { messagesFor } from '~/utils/i18n'
import { publicOrigin } from '~/utils/origin.server'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = () => [{ title: messagesFor('vi').periods.print.heading }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { snapshotId } = routeParams(params, { snapshotId: param.uuid })
  const s = await loadSnapshot(prisma(), actor, snapshotId).catch(throwAsResponse)
  const verifyUrl = `${publicOrigin(request)}/verify/report/${s.verifyCode}`
  // An SVG drawn on the server, as on the class sheet: sharp on paper, no script.
  const svg = await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return {
    back: `/reports/periods/${s.report.periodId}/${s.report.agencyId}`,
    facts: snapshotFacts(s, verifyUrl),
    figures: s.figures,
    narrative: s.narrative,
    qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  }
}

export default function SnapshotPrint() {
  const { back, facts, figures, narrative, qr } = useLoaderData<typeof loader>()
  const m = messagesFor('vi')
  const t = m.periods.print
  return (
    <article className="print-page" lang="vi" aria-labelledby="print-title">
      <p className="no-print">
        <Link to={back}>← {t.back}</Link>
      </p>
      <AdminHeading parent={facts.parent} agency={facts.agency} nation={t.nation} motto={t.motto} dateLine={facts.dateLine} />
      <h1 id="print-title">{facts.title}</h1>
      <p className="print-center">{facts.period}</p>
      <p className="print-center">
        {facts.version} · {facts.submitted}
      </p>
      <FiguresBlock figures={figures} m={m} locale="vi" testId="print-figures" />
      <h2>{t.narrative}</h2>
      <p className="narrative">{narrative || t.noNarrative}</p>
      <p>{facts.reviewed}</p>
      <div className="print-signatures">
        <div>
          <strong>{t.submitter}</strong>
          <br />
          <em>{m.reports.report.signHint}</em>
        </div>
        <div>
          <strong>{t.reviewer}</strong>
          <br />
          <em>{m.reports.report.signHint}</em>
        </div>
      </div>
      <footer className="print-verify">
        <img src={qr} alt={t.qrAlt} width={120} height={120} />
        <p data-testid="verify-line">{facts.verify}</p>
      </footer>
    </article>
  )
}
