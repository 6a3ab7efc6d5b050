// /courses/:course/quiz — the final quiz's rules and the person's attempts; "start" opens an attempt
// (or the one already open) and redirects to it.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormAlert } from '~/components/form'
import { getCurrentUser, requireUser } from '~/modules/auth/request.server'
import { getCourse } from '~/modules/content/service.server'
import { hasFinalQuiz } from '~/modules/learning/content.server'
import { courseProgress } from '~/modules/learning/progress.server'
import { quizOverview, startAttempt } from '~/modules/quiz/attempt.server'
import contentStyles from '~/styles/content.css?url'
import { AppError, formatError, isAppError, type ErrorKey } from '~/utils/errors'
import { failureFromError, failureOf } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const courseSlug = routeParams(params, { course: param.slug }).course
  try {
    const { course } = await getCourse({ courseSlug })
    if (!(await hasFinalQuiz(courseSlug))) throw new AppError('NOT_FOUND', 'quiz.none', { course: courseSlug })
    const user = await getCurrentUser(request)
    const overview = user ? await quizOverview({ userId: user.id, courseSlug }) : null
    const progress = user ? await courseProgress({ userId: user.id, courseSlug }) : null
    return { course: { slug: course.slug, title: course.title }, overview, progress }
  } catch (error) {
    throwAsResponse(error)
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = routeParams(params, { course: param.slug }).course
  try {
    const { attemptId } = await startAttempt({ userId: user.id, courseSlug })
    return redirect(`/courses/${courseSlug}/quiz/${attemptId}`)
  } catch (error) {
    // Attempts used up, or one just started elsewhere: said on the page, in the one form shape.
    if (isAppError(error) && error.code === 'CONFLICT') return data(failureFromError({}, error), { status: error.status })
    throwAsResponse(error)
  }
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (m) => (data ? `${data.course.title} — ${m.learning.quiz.title}` : m.learning.quiz.title))

export default function QuizPage() {
  const { course, overview, progress } = useLoaderData<typeof loader>()
  const failure = failureOf<ErrorKey>(useActionData<typeof action>())
  const { m, locale } = useMessages()
  const q = m.learning.quiz
  const here = `/courses/${course.slug}/quiz`
  return (
    <article className="quiz-page">
      <nav aria-label={m.content.course.breadcrumb} className="breadcrumb">
        <Link to="/courses">{m.content.catalogue.title}</Link> › <Link to={`/courses/${course.slug}`}>{course.title}</Link>
      </nav>
      <h1>{q.title}</h1>
      {failure?.formError ? <FormAlert>{formatError(failure.formError, failure.params, locale)}</FormAlert> : null}
      <p className="lead">{course.title}</p>
      {overview ? (
        <>
          <h2>{q.rules}</h2>
          <ul>
            <li>{format(q.questionCount, { n: overview.questionCount }, locale)}</li>
            <li>{format(q.passMark, { n: overview.passMark }, locale)}</li>
            <li>{overview.timeLimitMinutes ? format(q.timeLimit, { n: overview.timeLimitMinutes }, locale) : q.noTimeLimit}</li>
            <li>{overview.attemptsAllowed ? format(q.attemptsAllowed, { n: overview.attemptsAllowed }, locale) : q.attemptsUnlimited}</li>
            <li>{q.completionRule}</li>
          </ul>
          {progress?.completedAt ? (
            <p role="status">
              <strong>{q.completed}</strong>
            </p>
          ) : progress && progress.lessonsTotal > 0 && progress.lessonsDone.length < progress.lessonsTotal ? (
            <p>{format(q.lessonsLeft, { done: progress.lessonsDone.length, total: progress.lessonsTotal }, locale)}</p>
          ) : null}
          {overview.openAttemptId ? (
            <p>
              <Link className="button button-primary" to={`${here}/${overview.openAttemptId}`}>
                {q.resume}
              </Link>
            </p>
          ) : overview.attemptsLeft === 0 ? (
            <p role="status">{q.noAttemptsLeft}</p>
          ) : (
            <Form method="post">
              {overview.attemptsLeft !== null ? <p>{format(q.attemptsLeft, { n: overview.attemptsLeft }, locale)}</p> : null}
              <button type="submit" className="button button-primary">
                {overview.attempts.length ? q.again : q.start}
              </button>
            </Form>
          )}
          {overview.attempts.length ? (
            <>
              <h2>{q.history}</h2>
              <table className="table" data-testid="attempts">
                <tbody>
                  {overview.attempts.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">{format(q.attemptN, { n: a.number }, locale)}</th>
                      <td>{formatDateTime(a.startedAt, locale, 'short')}</td>
                      <td>{a.status === 'OPEN' ? q.open : `${format(q.score, { score: a.scorePercent ?? 0 }, locale)} — ${a.passed ? q.passed : q.failed}`}</td>
                      <td>
                        <Link to={`${here}/${a.id}`}>{q.view}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{q.signIn}</Link>
        </p>
      )}
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
