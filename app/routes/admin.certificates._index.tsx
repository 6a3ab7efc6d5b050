// /admin/certificates — certificates issued in the viewer's scope: all for admins, the agency
// subtrees of an agency manager; nobody else. Paged, searchable by number, name or course.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { certificateDate } from '~/components/certificate-card'
import { Pagination } from '~/components/pagination'
import { requirePeopleScope } from '~/modules/auth/permissions.server'
import { requireUser } from '~/modules/auth/request.server'
import { listCertificates } from '~/modules/certificate/service.server'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.certificates.admin.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await requirePeopleScope(prisma(), actor).catch(throwAsResponse)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').slice(0, 100)
  const page = pageParam(url)
  const result = await listCertificates({ actor, page, query: q })
  const scopeNames = scope.kind === 'all' ? null : (await prisma().agency.findMany({ where: { id: { in: scope.rootIds } }, select: { name: true } })).map((a) => a.name)
  return { q, page, pages: result.pages, total: result.total, scopeNames, rows: result.rows.map(({ code: _c, userId: _u, ...r }) => r) }
}

export default function AdminCertificates() {
  const { q, page, pages, total, scopeNames, rows } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.certificates
  const link = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`
  return (
    <section aria-labelledby="admin-certs-title">
      <h1 id="admin-certs-title">{t.admin.title}</h1>
      <p>{scopeNames ? format(t.admin.scopeAgencies, { agencies: scopeNames.join(', ') }, locale) : t.admin.scopeAll}</p>
      <Form method="get" className="inline-form" role="search">
        <label htmlFor="cert-search" className="visually-hidden">
          {t.admin.search}
        </label>
        <input id="cert-search" type="search" name="q" defaultValue={q} placeholder={t.admin.search} maxLength={100} />
        <button type="submit">{t.admin.searchButton}</button>
      </Form>
      <p role="status">{format(t.admin.total, { count: total }, locale)}</p>
      {rows.length === 0 ? (
        <p>{t.admin.none}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="admin-certificates">
            <thead>
              <tr>
                <th scope="col">{t.fields.number}</th>
                <th scope="col">{t.fields.holder}</th>
                <th scope="col">{t.fields.course}</th>
                <th scope="col">{t.fields.issuedAt}</th>
                <th scope="col">{t.fields.status}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/certificates/${c.id}`}>{c.number}</Link>
                  </td>
                  <td>{c.holderName}</td>
                  <td>{c.courseTitle}</td>
                  <td>{certificateDate(c.issuedAt, locale)}</td>
                  <td data-status={c.status}>{t.status[c.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} href={link} />
    </section>
  )
}
