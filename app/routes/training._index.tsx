// /training — the in-person training sessions of the agencies the actor manages, newest first, page
// by page (docs/decisions/023).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { requireUser } from '~/modules/auth/request.server'
import { vnDay } from '~/modules/periods/types'
import { listSessions } from '~/modules/training/pages.server'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.list.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const page = pageParam(new URL(request.url))
  return { page, ...(await listSessions(prisma(), actor, { page }).catch(throwAsResponse)) }
}

export default function TrainingSessions() {
  const data = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.training.list
  const dates = (s: { startsOn: string; endsOn: string }) => (s.startsOn === s.endsOn ? vnDay(s.startsOn) : `${vnDay(s.startsOn)} – ${vnDay(s.endsOn)}`)
  return (
    <section aria-labelledby="training-title">
      <h1 id="training-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p>
        <Link to="/training/new" className="button-primary">
          {t.new}
        </Link>
      </p>
      <p role="status">{format(t.total, { count: data.total }, locale)}</p>
      {data.sessions.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div className="table-wrap">
          <table className="report-table" data-testid="training-sessions">
            <thead>
              <tr>
                <th scope="col">{t.columns.dates}</th>
                <th scope="col">{t.columns.topic}</th>
                <th scope="col">{t.columns.place}</th>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.attendees}</th>
              </tr>
            </thead>
            <tbody>
              {data.sessions.map((s) => (
                <tr key={s.id}>
                  <td>{dates(s)}</td>
                  <th scope="row">
                    <Link to={`/training/${s.id}`}>{s.topic}</Link>
                  </th>
                  <td>{[s.village, s.commune].filter(Boolean).join(', ')}</td>
                  <td>{s.agency}</td>
                  <td className="num">{s.attendees}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pages={data.pages} href={(p) => `?page=${p}`} />
    </section>
  )
}
