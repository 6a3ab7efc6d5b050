// /staff — the roster of the agencies the actor manages: linked and unlinked staff, search, pages.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { agencyScope } from '~/modules/agency/admin.server'
import { requireUser } from '~/modules/auth/request.server'
import { SearchQuerySchema } from '~/modules/auth/schema'
import { listStaff, type LinkedFilter } from '~/modules/roster/staff.server'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.staff.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const url = new URL(request.url)
  const q = SearchQuerySchema.safeParse(url.searchParams.get('q') ?? '')
  if (!q.success) throw new Response('Từ khoá tìm kiếm dài quá 100 ký tự.', { status: 400 })
  const raw = url.searchParams.get('linked')
  const linked: LinkedFilter = raw === 'linked' || raw === 'unlinked' ? raw : 'all'
  const page = pageParam(url)
  const result = await listStaff(prisma(), scope, { q: q.data, linked, page })
  return {
    q: q.data,
    linked,
    page,
    ...result,
    staff: result.staff.map((s) => ({
      id: s.id,
      staffCode: s.staffCode,
      fullName: s.fullName,
      email: s.email,
      jobTitle: s.jobTitle,
      agency: s.agency.name,
      userId: s.user?.id ?? null,
    })),
  }
}

export default function Staff() {
  const data = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.reports.staff
  const link = (p: number) => `?${new URLSearchParams({ ...(data.q ? { q: data.q } : {}), linked: data.linked, page: String(p) })}`
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p>
        <Link to="/staff/import">{t.import}</Link>
      </p>
      <p>{format(t.counts, { linked: data.linkedCount, unlinked: data.unlinkedCount }, locale)}</p>
      <Form method="get" className="report-filters" role="search">
        <div className="field">
          <label htmlFor="staff-q">{t.search}</label>
          <input id="staff-q" type="search" name="q" defaultValue={data.q} />
        </div>
        <div className="field">
          <label htmlFor="staff-linked">{t.filter}</label>
          <select id="staff-linked" name="linked" defaultValue={data.linked}>
            <option value="all">{t.all}</option>
            <option value="linked">{t.linked}</option>
            <option value="unlinked">{t.unlinked}</option>
          </select>
        </div>
        <button type="submit">{t.searchButton}</button>
      </Form>
      <p role="status">{format(t.total, { count: data.total }, locale)}</p>
      {data.staff.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="staff-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.code}</th>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.email}</th>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.title}</th>
                <th scope="col">{t.columns.account}</th>
              </tr>
            </thead>
            <tbody>
              {data.staff.map((s) => (
                <tr key={s.id}>
                  <td>{s.staffCode}</td>
                  <td>{s.fullName}</td>
                  <td>{s.email ?? '—'}</td>
                  <td>{s.agency}</td>
                  <td>{s.jobTitle ?? '—'}</td>
                  <td>{s.userId ? <Link to={`/admin/users/${s.userId}`}>{t.linked}</Link> : t.unlinked}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pages={data.pages} href={link} />
    </section>
  )
}
