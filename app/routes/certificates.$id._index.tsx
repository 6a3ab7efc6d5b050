// /certificates/:id — one certificate for its holder, their agency managers and admins (anyone
// else: 404), with its downloads and the public verification address.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CertificateFactsList } from '~/components/certificate-card'
import { isAdmin } from '~/modules/auth/permissions.server'
import { requireUser } from '~/modules/auth/request.server'
import { publicOrigin } from '~/modules/certificate/origin.server'
import { certificateForViewer } from '~/modules/certificate/service.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (m) => format(m.certificates.detail.title, { number: data?.certificate.number ?? '' }))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const c = await certificateForViewer({ actor, id: routeParams(params, { id: param.uuid }).id }).catch(throwAsResponse)
  const { userId: _u, code, ...certificate } = c
  return { certificate, verifyUrl: `${publicOrigin(request)}/verify/${code}`, verifyPath: `/verify/${code}`, canRevoke: isAdmin(actor) && !c.revokedAt }
}

export default function CertificatePage() {
  const { certificate: c, verifyUrl, verifyPath, canRevoke } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.certificates
  const base = `/certificates/${c.id}`
  return (
    <section aria-labelledby="cert-title">
      <h1 id="cert-title">{format(t.detail.title, { number: c.number }, locale)}</h1>
      <CertificateFactsList c={c} />
      <h2>{t.detail.downloads}</h2>
      <ul>
        <li>
          <a href={`${base}/pdf`} download>
            {t.detail.pdf}
          </a>
        </li>
        <li>
          <a href={`${base}/png`} download>
            {t.detail.png}
          </a>
        </li>
        <li>
          <a href={`${base}/jwt`} download>
            {t.detail.jwt}
          </a>
        </li>
      </ul>
      <h2>{t.detail.verifyLink}</h2>
      <p className="hint">{t.detail.verifyHint}</p>
      <p>
        <a href={verifyPath} className="break-all">
          {verifyUrl}
        </a>
      </p>
      {canRevoke ? (
        <p>
          <Link to={`/admin/certificates/${c.id}`}>{t.detail.revoke}</Link>
        </p>
      ) : null}
    </section>
  )
}
