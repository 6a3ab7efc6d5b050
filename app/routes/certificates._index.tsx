// /certificates — the signed-in person's certificates, current and past.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { certificateDate } from '~/components/certificate-card'
import { requireUser } from '~/modules/auth/request.server'
import { myCertificates } from '~/modules/certificate/service.server'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.certificates.mine.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { certificates: await myCertificates({ userId: user.id }) }
}

export default function MyCertificates() {
  const { certificates } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.certificates
  return (
    <section aria-labelledby="certs-title">
      <h1 id="certs-title">{t.mine.title}</h1>
      <p className="lead">{t.mine.lead}</p>
      {certificates.length === 0 ? (
        <p>{t.mine.none}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="my-certificates">
            <thead>
              <tr>
                <th scope="col">{t.fields.number}</th>
                <th scope="col">{t.fields.course}</th>
                <th scope="col">{t.fields.issuedAt}</th>
                <th scope="col">{t.fields.expiresAt}</th>
                <th scope="col">{t.fields.status}</th>
              </tr>
            </thead>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/certificates/${c.id}`}>{c.number}</Link>
                  </td>
                  <td>{c.courseTitle}</td>
                  <td>{certificateDate(c.issuedAt, locale)}</td>
                  <td>{c.expiresAt ? certificateDate(c.expiresAt, locale) : t.fields.noExpiry}</td>
                  <td data-status={c.status}>{t.status[c.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
