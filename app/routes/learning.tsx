// /learning — "My learning": the person's enrolments with progress and where to continue.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/modules/auth/request.server'
import { certificateDate } from '~/components/certificate-card'
import { learningOverview } from '~/modules/learning/overview.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.learning.my.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return learningOverview({ userId: user.id })
}

export default function MyLearning() {
  const { courses, notEnrolled, renewals } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.learning.my
  return (
    <section aria-labelledby="my-title">
      <h1 id="my-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {renewals.map((r) => (
        <div key={r.id} className="alert alert-warning" role="status" data-testid="renewal-banner">
          <p>{format(r.expired ? m.certificates.banner.expired : m.certificates.banner.expiring, { course: r.courseTitle, date: certificateDate(r.expiresAt, locale) })}</p>
          <p>
            <Link to={r.renewal === 'COURSE' ? `/courses/${r.courseSlug}` : `/courses/${r.courseSlug}/quiz`}>{r.renewal === 'COURSE' ? m.certificates.banner.renewCourse : m.certificates.banner.renewQuiz}</Link>
          </p>
        </div>
      ))}
      <p>
        <Link to="/certificates">{m.certificates.mine.link}</Link>
      </p>
      {notEnrolled.length ? (
        <section aria-labelledby="assigned-title">
          <h2 id="assigned-title">{t.assignedTitle}</h2>
          <ul data-testid="assigned-courses">
            {notEnrolled.map((a) => (
              <li key={a.slug}>
                <Link to={`/courses/${a.slug}`}>{a.title}</Link> — {format(t.due, { date: formatDateTime(a.dueAt, locale, 'short') })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {courses.length === 0 ? (
        <p>
          {t.none} <Link to="/courses">{t.browse}</Link>
        </p>
      ) : (
        <ul className="my-courses" data-testid="my-courses">
          {courses.map((c) => (
            <li key={c.slug}>
              <h2>
                <Link to={`/courses/${c.slug}`}>{c.title}</Link>
              </h2>
              <p>
                {c.completedAt ? <strong>{format(t.completed, { date: formatDateTime(c.completedAt, locale, 'short') })}</strong> : t.inProgress} ·{' '}
                {format(t.progress, { done: c.lessonsDone, total: c.lessonsTotal }, locale)}
              </p>
              {c.lessonsTotal > 0 ? <progress max={c.lessonsTotal} value={c.lessonsDone} aria-label={format(t.progress, { done: c.lessonsDone, total: c.lessonsTotal }, locale)} /> : null}
              {c.dueAt && !c.completedAt ? <p>{format(t.due, { date: formatDateTime(c.dueAt, locale, 'short') })}</p> : null}
              {c.bestScore !== null ? <p>{format(c.passed ? t.resultPassed : t.resultNotPassed, { score: c.bestScore }, locale)}</p> : null}
              <p>
                {c.openAttemptId ? (
                  <Link to={`/courses/${c.slug}/quiz/${c.openAttemptId}`}>{t.resumeQuiz}</Link>
                ) : c.nextLesson ? (
                  <Link to={`/courses/${c.slug}/${c.nextLesson.slug}`}>{format(t.continue, { lesson: c.nextLesson.title })}</Link>
                ) : !c.completedAt ? (
                  <Link to={`/courses/${c.slug}/quiz`}>{t.toQuiz}</Link>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
