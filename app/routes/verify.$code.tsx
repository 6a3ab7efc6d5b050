// /verify/:code — the public verification page, printed on every certificate as a URL and a QR
// code (so this address never changes). It shows the certificate's facts and status, and nothing
// more about the person. An unknown code is a plain 404.
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { certificateDate, CertificateFactsList } from '~/components/certificate-card'
import { verifyByCode } from '~/modules/certificate/service.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
// A status can change at any time (revocation, expiry): never cached.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders)
  out.set('Cache-Control', 'no-store')
  return out
}
export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (m) => m.certificates.verify.pageTitle), { name: 'robots', content: 'noindex' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = await verifyByCode({ code: routeParams(params, { code: param.token }).code })
  if (!certificate) return data({ certificate: null }, { status: 404 })
  return { certificate }
}

export default function VerifyCertificate() {
  const { certificate: c } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.certificates.verify
  if (!c) {
    return (
      <section aria-labelledby="verify-title">
        <h1 id="verify-title">{t.unknownTitle}</h1>
        <p data-testid="verify-unknown">{t.unknownText}</p>
        <p>
          <Link to="/verify">{t.lookupAgain}</Link>
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t.pageTitle}</h1>
      <p>{t.genuine}</p>
      <CertificateFactsList c={c}>
        {c.status === 'superseded' && c.supersededBy ? (
          <p>
            {format(t.supersededBy, { number: c.supersededBy.number, date: certificateDate(c.supersededBy.issuedAt, locale) })}{' '}
            <Link to={`/verify/${c.supersededBy.code}`}>{t.seeRenewal}</Link>
          </p>
        ) : null}
      </CertificateFactsList>
      <p className="hint">{format(t.signed, { jwks: '/.well-known/jwks.json' })}</p>
      <p>
        <Link to="/verify">{t.lookupAgain}</Link>
      </p>
    </section>
  )
}
