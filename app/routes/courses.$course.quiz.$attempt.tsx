// /courses/:course/quiz/:attempt — an open attempt is one plain form with every question (no answer
// in the page). "Save" (intent=save) keeps the answers so far; "Submit" grades on the server and
// redirects back here, where the submitted attempt shows its score and, when the quiz allows, the
// review. Posting again changes nothing. A bad post gets 400 with the message and the answers kept.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Inputs } from '~/components/mdx/check-yourself'
import { requireUser } from '~/modules/auth/request.server'
import { getCourse } from '~/modules/content/service.server'
import { getAttempt, saveAnswers, submitAttempt } from '~/modules/quiz/attempt.server'
import { answerField, AttemptForm, isAnswerField } from '~/modules/quiz/schema'
import type { Messages } from '~/locales/types'
import contentStyles from '~/styles/content.css?url'
import { formatError, isAppError, type ErrorKey } from '~/utils/errors'
import { failureFromError, failureOf, formFailure, parseForm, typedAll } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]


export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = routeParams(params, { course: param.slug }).course
  try {
    const { course } = await getCourse({ courseSlug })
    const view = await getAttempt({ userId: user.id, courseSlug, attemptId: routeParams(params, { attempt: param.uuid }).attempt })
    return { course: { slug: course.slug, title: course.title }, view }
  } catch (error) {
    throwAsResponse(error)
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = routeParams(params, { course: param.slug }).course
  const attemptId = routeParams(params, { attempt: param.uuid }).attempt
  // Every value of an answer field is kept (several boxes ticked, one choice per matched item).
  const parsed = parseForm<typeof AttemptForm, ErrorKey>(await request.formData(), AttemptForm, { repeated: isAnswerField })
  if (!parsed.ok) return data(formFailure<ErrorKey>(parsed.failure.values, { formError: 'quiz.badPost' }), { status: 400 })
  const { intent, responses } = parsed.data
  const here = `/courses/${courseSlug}/quiz/${attemptId}`
  try {
    if (intent === 'save') {
      await saveAnswers({ userId: user.id, courseSlug, attemptId, responses })
      return redirect(`${here}?da-luu=1`)
    }
    const result = await submitAttempt({ userId: user.id, courseSlug, attemptId, responses })
    return redirect(`${here}${result.alreadySubmitted ? '?da-nop=1' : result.late ? '?tre=1' : ''}`)
  } catch (error) {
    if (isAppError(error) && (error.code === 'BAD_INPUT' || error.code === 'CONFLICT')) {
      // An answer that does not fit its question: the reason beside that question, a pointer above.
      const questionId = error.details?.questionId
      const field = typeof questionId === 'string' ? answerField(questionId) : undefined
      return data(failureFromError(parsed.values, error, { answerField: field, answerFormError: 'quiz.fixAnswer' }), { status: error.status })
    }
    throwAsResponse(error)
  }
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (m) => (data ? `${data.course.title} — ${m.learning.quiz.title}` : m.learning.quiz.title))

export default function AttemptPage() {
  const { course, view } = useLoaderData<typeof loader>()
  const posted = failureOf<ErrorKey>(useActionData<typeof action>())
  const [search] = useSearchParams()
  const { m, locale } = useMessages()
  const say = (key: ErrorKey) => formatError(key, posted?.params, locale)
  const q = m.learning.quiz
  const quizPath = `/courses/${course.slug}/quiz`
  return (
    <article className="quiz-attempt">
      <nav aria-label={m.content.course.breadcrumb} className="breadcrumb">
        <Link to={`/courses/${course.slug}`}>{course.title}</Link> › <Link to={quizPath}>{q.title}</Link>
      </nav>
      {posted?.formError ? (
        <p className="alert alert-error" role="alert">
          {say(posted.formError)}
        </p>
      ) : null}
      {view.status === 'OPEN' ? (
        <>
          <h1>
            {q.title} — {format(q.attemptN, { n: view.attempt.number }, locale)}
          </h1>
          {view.attempt.deadlineAt ? <p className="alert alert-error">{format(q.deadline, { time: formatDateTime(view.attempt.deadlineAt, locale, 'short') })}</p> : null}
          {search.get('da-luu') && !posted ? (
            <p className="alert alert-success" role="status">
              {q.saved}
            </p>
          ) : null}
          <p className="hint">{q.unansweredHint}</p>
          <Form method="post" className="quiz-form">
            {view.questions.map((question, i) => {
              const field = answerField(question.id)
              const error = posted?.fieldErrors[field]?.[0]
              const errorId = error ? `cau-${i + 1}-error` : undefined
              return (
                <fieldset key={question.id} className={error ? 'check field-invalid' : 'check'}>
                  <legend>
                    <span className="muted">{format(q.questionN, { n: i + 1, total: view.questions.length }, locale)}</span> {question.prompt}
                  </legend>
                  <Inputs question={question} previous={posted ? typedAll(posted.values, field) : (view.saved[question.id] ?? [])} m={m.content} anchor={`cau-${i + 1}`} name={field} errorId={errorId} />
                  {error ? (
                    <p id={errorId} className="field-error">
                      {say(error)}
                    </p>
                  ) : null}
                </fieldset>
              )
            })}
            <p className="quiz-buttons">
              <button type="submit" name="intent" value="save">
                {q.save}
              </button>{' '}
              <button type="submit" name="intent" value="submit" className="button button-primary">
                {q.submit}
              </button>
            </p>
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
              {view.reviewMode === 'verdicts' ? <p className="hint">{m.learning.quizReview.keyHidden}</p> : null}
              <ol className="quiz-review">
                {view.review.map((r) => (
                  <li key={r.question.id} className={`check-feedback check-${r.verdict}`}>
                    <p>{r.question.prompt}</p>
                    <p>
                      {q.yourAnswer} {r.response.length ? describe(r.response, m.content, r.question.options) : q.noAnswer} — <strong>{m.content.check[r.verdict]}</strong>
                    </p>
                    {r.correctAnswer !== undefined ? (
                      <p>
                        {m.content.check.correctAnswer} <strong>{r.correctAnswer}</strong>
                      </p>
                    ) : null}
                    {r.explanation !== undefined ? (
                      <p>
                        {m.content.check.explanation} {r.explanation}
                      </p>
                    ) : null}
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
function describe(response: string[], m: Messages['content'], options?: { id: string; text: string }[]): string {
  if (!options) return response.map((r) => (r === 'true' ? m.check.trueLabel : r === 'false' ? m.check.falseLabel : r)).join('; ')
  return response.map((id) => options.find((o) => o.id === id)?.text ?? id).join('; ')
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
