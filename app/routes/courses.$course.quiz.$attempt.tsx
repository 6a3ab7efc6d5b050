// /courses/:course/quiz/:attempt — an open attempt is one plain form with every question (no answer
// in the page); posting it grades it on the server and redirects back here, where the submitted
// attempt shows its score and, when the quiz allows, the review. Posting again changes nothing.
import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Inputs } from '~/components/mdx/check-yourself'
import { requireUser } from '~/modules/auth/request.server'
import { getCourse } from '~/modules/content/service.server'
import { getAttempt, submitAttempt } from '~/modules/learning/quiz.server'
import contentStyles from '~/styles/content.css?url'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]

/** Form field of a question's answer: one name per question, repeated for multiple and matching. */
const fieldName = (questionId: string) => `q.${questionId}`

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = params.course ?? ''
  try {
    const { course } = await getCourse({ courseSlug })
    const view = await getAttempt({ userId: user.id, courseSlug, attemptId: params.attempt ?? '' })
    return { course: { slug: course.slug, title: course.title }, view }
  } catch (error) {
    throwAsResponse(error)
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = params.course ?? ''
  const attemptId = params.attempt ?? ''
  const form = await request.formData()
  const responses: Record<string, string[]> = {}
  for (const [key, value] of form) {
    if (key.startsWith('q.') && typeof value === 'string') (responses[key.slice(2)] ??= []).push(value)
  }
  try {
    const result = await submitAttempt({ userId: user.id, courseSlug, attemptId, responses })
    const flag = result.alreadySubmitted ? '?da-nop=1' : result.late ? '?tre=1' : ''
    return redirect(`/courses/${courseSlug}/quiz/${attemptId}${flag}`)
  } catch (error) {
    throwAsResponse(error)
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.course.title} — Bài kiểm tra cuối khoá — Bản Số` : 'Bản Số' }]

export default function AttemptPage() {
  const { course, view } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const { m, locale } = useMessages()
  const q = m.learning.quiz
  const quizPath = `/courses/${course.slug}/quiz`
  return (
    <article className="quiz-attempt">
      <nav aria-label={m.content.course.breadcrumb} className="breadcrumb">
        <Link to={`/courses/${course.slug}`}>{course.title}</Link> › <Link to={quizPath}>{q.title}</Link>
      </nav>
      {view.status === 'OPEN' ? (
        <>
          <h1>
            {q.title} — {format(q.attemptN, { n: view.attempt.number }, locale)}
          </h1>
          {view.attempt.deadlineAt ? <p className="alert alert-error">{format(q.deadline, { time: formatDateTime(view.attempt.deadlineAt, locale, 'short') })}</p> : null}
          <p className="hint">{q.unansweredHint}</p>
          <Form method="post" className="quiz-form">
            {view.questions.map((question, i) => (
              <fieldset key={question.id} className="check">
                <legend>
                  <span className="muted">{format(q.questionN, { n: i + 1, total: view.questions.length }, locale)}</span> {question.prompt}
                </legend>
                <Inputs question={question} previous={[]} m={m.content} anchor={`cau-${i + 1}`} name={fieldName(question.id)} />
              </fieldset>
            ))}
            <button type="submit" className="button button-primary">
              {q.submit}
            </button>
          </Form>
        </>
      ) : (
        <>
          <h1>{format(q.resultTitle, { n: view.attempt.number }, locale)}</h1>
          {search.get('da-nop') ? <p className="alert alert-error">{q.alreadySubmitted}</p> : null}
          {search.get('tre') ? <p className="alert alert-error">{q.late}</p> : null}
          <div className={`alert ${view.attempt.passed ? 'alert-success' : 'alert-error'}`} role="status" data-testid="quiz-result">
            <p>
              <strong>{view.attempt.passed ? q.passedText : q.failedText}</strong>
            </p>
            <p>{format(q.yourScore, { score: view.attempt.scorePercent ?? 0, passMark: view.passMark }, locale)}</p>
          </div>
          {view.review ? (
            <section aria-labelledby="review-title">
              <h2 id="review-title">{q.review}</h2>
              <ol className="quiz-review">
                {view.review.map((r) => (
                  <li key={r.question.id} className={`check-feedback check-${r.verdict}`}>
                    <p>{r.question.prompt}</p>
                    <p>
                      {q.yourAnswer} {r.response.length ? describe(r.response, r.question.options) : q.noAnswer} — <strong>{m.content.check[r.verdict]}</strong>
                    </p>
                    <p>
                      {m.content.check.correctAnswer} <strong>{r.correctAnswer}</strong>
                    </p>
                    <p>
                      {m.content.check.explanation} {r.explanation}
                    </p>
                  </li>
                ))}
              </ol>
            </section>
          ) : (
            <p>{q.noReview}</p>
          )}
          <p>
            <Link to={quizPath}>{q.backToQuiz}</Link>
          </p>
        </>
      )}
    </article>
  )
}

/** A response in words: option texts for choice questions, else what was typed or chosen. */
function describe(response: string[], options?: { id: string; text: string }[]): string {
  if (!options) return response.map((r) => (r === 'true' ? 'Đúng' : r === 'false' ? 'Sai' : r)).join('; ')
  return response.map((id) => options.find((o) => o.id === id)?.text ?? id).join('; ')
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
