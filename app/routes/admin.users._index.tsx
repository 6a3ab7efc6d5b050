import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { formatPhone } from '~/modules/auth/identifier'
import { requirePeopleScope } from '~/modules/auth/permissions.server'
import { requireUser } from '~/modules/auth/request.server'
import { SearchQuerySchema } from '~/modules/auth/schema'
import { searchUsers } from '~/modules/auth/users.server'
import { Pagination } from '~/components/pagination'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.admin.usersTitle)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await requirePeopleScope(prisma(), actor).catch(throwAsResponse)
  const url = new URL(request.url)
  const q = SearchQuerySchema.safeParse(url.searchParams.get('q') ?? '')
  if (!q.success) throw new Response('Từ khoá tìm kiếm dài quá 100 ký tự.', { status: 400 })
  const page = pageParam(url)
  const result = await searchUsers(prisma(), scope, { q: q.data, page })
  const scopeNames =
    scope.kind === 'all'
      ? null
      : (await prisma().agency.findMany({ where: { id: { in: scope.rootIds } }, select: { name: true } })).map((a) => a.name)
  return {
    q: q.data,
    page,
    pages: result.pages,
    total: result.total,
    scopeNames,
    users: result.users.map((u) => ({
      id: u.id,
      fullName: u.fullName,
      identifier: u.email ?? (u.phone ? formatPhone(u.phone) : ''),
      agency: u.agency?.name ?? null,
      roles: u.roleGrants.map((g) => g.role),
    })),
  }
}

export default function AdminUsers() {
  const { q, page, pages, total, users, scopeNames } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const a = m.auth.admin
  const link = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{a.usersTitle}</h1>
      <p>{scopeNames ? format(a.scopeAgencies, { agencies: scopeNames.join(', ') }, locale) : a.scopeAll}</p>
      <Form method="get" className="inline-form" role="search">
        <label htmlFor="user-search" className="visually-hidden">
          {a.search}
        </label>
        <input id="user-search" type="search" name="q" defaultValue={q} placeholder={a.search} />
        <button type="submit">{a.searchButton}</button>
      </Form>
      <p role="status">{format(a.total, { count: total }, locale)}</p>
      {users.length === 0 ? (
        <p>{a.noUsers}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{a.columns.name}</th>
                <th scope="col">{a.columns.identifier}</th>
                <th scope="col">{a.columns.agency}</th>
                <th scope="col">{a.columns.roles}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/admin/users/${u.id}`}>{u.fullName}</Link>
                  </td>
                  <td>{u.identifier}</td>
                  <td>{u.agency ?? '—'}</td>
                  <td>{u.roles.map((r) => m.auth.account.roleNames[r]).join(', ')}</td>
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
