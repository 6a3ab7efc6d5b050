// /classes/:classId/print — a sheet to print and hand out: class, code, address and a QR code.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requireUser } from '~/modules/auth/request.server'
import { classForTeacher } from '~/modules/classes/service.server'
import { format, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { publicOrigin } from '~/utils/origin.server'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => []
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} — Bản Số` : 'Bản Số' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  try {
    const cls = await classForTeacher({ actor: user, classId: routeParams(params, { classId: param.uuid }).classId })
    const joinUrl = `${publicOrigin(request)}/join?code=${cls.joinCode}`
    // An SVG drawn on the server: sharp on paper, no script, allowed by the CSP as a data: image.
    const svg = await QRCode.toString(joinUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    return { id: cls.id, name: cls.name, school: cls.school.name, code: cls.joinCode, joinUrl, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }
  } catch (error) {
    throwAsResponse(error)
  }
}

export default function PrintSheet() {
  const { id, name, school, code, joinUrl, qr } = useLoaderData<typeof loader>()
  const { m } = useMessages()
  const t = m.classes.print
  return (
    <article className="join-sheet" aria-labelledby="sheet-title">
      <p className="no-print">
        <Link to={`/classes/${id}`}>{t.back}</Link> · {t.printNow}
      </p>
      <h1 id="sheet-title">{t.title}</h1>
      <p className="join-sheet-class">
        <strong>{name}</strong> — {school}
      </p>
      <p className="join-sheet-code">
        {m.classes.detail.code}: <strong data-testid="sheet-code">{code}</strong>
      </p>
      <img src={qr} alt={format(t.qrAlt, { name })} width={240} height={240} className="join-sheet-qr" />
      <p>
        {t.address}: <strong>{joinUrl}</strong>
      </p>
      <ol>
        <li>{t.step1}</li>
        <li>{t.step2}</li>
        <li>{t.step3}</li>
        <li>{t.step4}</li>
      </ol>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
