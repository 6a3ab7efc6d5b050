// The body of "My learning" (/learning), as a plain component: no Remix hooks and plain links (the
// page ships no script), so the route renders it and a personal template's fill renders it the same
// way (docs/decisions/030).
import { certificateDate } from '~/components/certificate-card'
import type { LearningOverview } from '~/modules/learning/overview.server'
import type { Messages } from '~/locales/types'
import { format, formatDateTime, type Locale } from '~/utils/i18n'

/** The overview as loader data or as it is read back: dates may be strings. */
type Jsonish<T> = T extends Date ? Date | string : T extends (infer U)[] ? Jsonish<U>[] : T extends object ? { [K in keyof T]: Jsonish<T[K]> } : T

export function MyLearningBody({ overview, m, locale }: { overview: Jsonish<LearningOverview>; m: Messages; locale: Locale }) {
  const { courses, notEnrolled, renewals } = overview
  const t = m.learning.my
  return (
    <section aria-labelledby="my-title">
      <h1 id="my-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {renewals.map((r) => (
        <div key={r.id} className="alert alert-warning" role="status" data-testid="renewal-banner">
          <p>{format(r.expired ? m.certificates.banner.expired : m.certificates.banner.expiring, { course: r.courseTitle, date: certificateDate(r.expiresAt, locale) })}</p>
          <p>
            <a href={r.renewal === 'COURSE' ? `/courses/${r.courseSlug}` : `/courses/${r.courseSlug}/quiz`}>{r.renewal === 'COURSE' ? m.certificates.banner.renewCourse : m.certificates.banner.renewQuiz}</a>
          </p>
        </div>
      ))}
      <p>
        <a href="/certificates">{m.certificates.mine.link}</a>
      </p>
      {notEnrolled.length ? (
        <section aria-labelledby="assigned-title">
          <h2 id="assigned-title">{t.assignedTitle}</h2>
          <ul data-testid="assigned-courses">
            {notEnrolled.map((a) => (
              <li key={a.slug}>
                <a href={`/courses/${a.slug}`}>{a.title}</a> — {format(t.due, { date: formatDateTime(a.dueAt, locale, 'short') })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {courses.length === 0 ? (
        <p>
          {t.none} <a href="/courses">{t.browse}</a>
        </p>
      ) : (
        <ul className="my-courses" data-testid="my-courses">
          {courses.map((c) => (
            <li key={c.slug}>
              <h2>
                <a href={`/courses/${c.slug}`}>{c.title}</a>
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
                  <a href={`/courses/${c.slug}/quiz/${c.openAttemptId}`}>{t.resumeQuiz}</a>
                ) : c.nextLesson ? (
                  <a href={`/courses/${c.slug}/${c.nextLesson.slug}`}>{format(t.continue, { lesson: c.nextLesson.title })}</a>
                ) : !c.completedAt ? (
                  <a href={`/courses/${c.slug}/quiz`}>{t.toQuiz}</a>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
