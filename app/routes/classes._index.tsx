// /classes — the classes a person teaches (with their codes) and the classes they are in (with the
// work assigned and its due dates).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/modules/auth/request.server'
import { canTeach, myClasses } from '~/modules/classes/service.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.classes.list.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { teaching, member } = await myClasses({ userId: user.id })
  return { teacher: canTeach(user), teaching, member }
}

export default function ClassesPage() {
  const { teacher, teaching, member } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.classes.list
  return (
    <section aria-labelledby="classes-title">
      <h1 id="classes-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {teacher || teaching.length ? (
        <section aria-labelledby="teaching-title">
          <h2 id="teaching-title">{t.teaching}</h2>
          {teacher ? (
            <p>
              <Link to="/classes/new" className="button button-primary">
                {t.create}
              </Link>
            </p>
          ) : null}
          {teaching.length === 0 ? (
            <p>{t.noneTeaching}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" data-testid="classes-teaching">
                <thead>
                  <tr>
                    <th scope="col">{t.columns.name}</th>
                    <th scope="col">{t.columns.school}</th>
                    <th scope="col">{t.columns.code}</th>
                    <th scope="col">{t.columns.students}</th>
                    <th scope="col">{t.columns.work}</th>
                  </tr>
                </thead>
                <tbody>
                  {teaching.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/classes/${c.id}`}>{c.name}</Link> {c.archivedAt ? <span className="muted">{t.archived}</span> : null}
                      </td>
                      <td>{c.school.name}</td>
                      <td>
                        <code>{c.joinCode}</code>
                      </td>
                      <td>{c._count.members}</td>
                      <td>{c._count.assignments}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
      <section aria-labelledby="member-title">
        <h2 id="member-title">{t.member}</h2>
        {member.length === 0 ? <p>{t.noneMember}</p> : null}
        {member.map((c) => (
          <article key={c.id} className="class-card" data-testid="class-member">
            <h3>{c.name}</h3>
            <p className="muted">
              {c.school.name} · {format(t.teacher, { name: c.teacher.fullName })}
            </p>
            {c.assignments.length === 0 ? (
              <p>{t.noWork}</p>
            ) : (
              <ul>
                {c.assignments.map((a) => (
                  <li key={a.id}>
                    {a.lesson ? (
                      <Link to={`/courses/${a.course.slug}/${a.lesson.slug}`}>{a.lesson.title}</Link>
                    ) : (
                      <Link to={`/courses/${a.course.slug}`}>{a.course.title}</Link>
                    )}{' '}
                    <span className="muted">
                      ({a.lesson ? a.course.title : t.wholeCourse}; {a.dueAt ? format(t.due, { date: formatDateTime(a.dueAt, locale, 'short') }) : t.noDue})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </article>
        ))}
        <p>
          {t.haveCode} <Link to="/join">{t.join}</Link>
        </p>
      </section>
    </section>
  )
}
