import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listAuditEntries } from '~/modules/audit/service.server'
import { requireAdmin } from '~/modules/auth/permissions.server'
import { requireUser } from '~/modules/auth/request.server'
import { Pagination } from '~/components/pagination'
import { prisma } from '~/utils/db.server'
import { formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.admin.auditTitle)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  try {
    requireAdmin(actor)
  } catch (error) {
    throwAsResponse(error)
  }
  const page = pageParam(new URL(request.url))
  const { entries, pages } = await listAuditEntries(prisma(), { page })
  return {
    page,
    pages,
    entries: entries.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      actor: e.actor?.fullName ?? null,
      action: e.action,
      target: e.targetId,
      ip: e.ip,
    })),
  }
}

export default function AuditLog() {
  const { entries, page, pages } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const a = m.auth.admin
  const date = (iso: string) => formatDateTime(iso, locale, 'short')
  const actionName = (action: string) => (a.actions as Record<string, string>)[action] ?? action
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{a.auditTitle}</h1>
      <p>{a.auditIntro}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{a.auditColumns.at}</th>
              <th scope="col">{a.auditColumns.actor}</th>
              <th scope="col">{a.auditColumns.action}</th>
              <th scope="col">{a.auditColumns.target}</th>
              <th scope="col">{a.auditColumns.ip}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{date(e.at)}</td>
                <td>{e.actor ?? '—'}</td>
                <td>{actionName(e.action)}</td>
                <td>{e.target ? <Link to={`/admin/users/${e.target}`}>{e.target.slice(0, 8)}</Link> : '—'}</td>
                <td>{e.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} href={(p) => `?page=${p}`} />
    </section>
  )
}
