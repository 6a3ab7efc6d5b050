import type { CheckResult, PublicQuestion } from '~/modules/content/types'
import type { Messages } from '~/locales/types'
import { formatError, type ErrorKey } from '~/utils/errors'
import { typed, typedAll, type FormFailure } from '~/utils/forms'
import type { Locale } from '~/utils/i18n'

export interface CheckState {
  /** The verdict of the question just answered (only that one). */
  result?: CheckResult
  /** A refused answer, in the one form-result shape: the question and answer sent, and why. */
  failure?: FormFailure<ErrorKey> | null
}

/** The question a refused answer was for, and the reason in the reader's language. */
export function checkFailure(state: CheckState, locale: Locale): { questionId: string; message: string; response: string[] } | null {
  const f = state.failure
  if (!f) return null
  const key = f.fieldErrors.answer?.[0] ?? f.formError
  return { questionId: typed(f.values, 'question'), message: key ? formatError(key, f.params, locale) : '', response: typedAll(f.values, 'answer') }
}

export function checkAnchor(id: string) {
  return `tu-kiem-tra-${id}`
}

/**
 * A question in the lesson, answered by a plain form post: the server grades it and sends the page
 * back with the verdict and the explanation. The answer is never in the page before that.
 */
export function CheckYourself({ question, action, state, m, locale }: { question: PublicQuestion | undefined; action: string; state: CheckState; m: Messages['content']; locale: Locale }) {
  if (!question) return null
  const anchor = checkAnchor(question.id)
  const result = state.result?.questionId === question.id ? state.result : undefined
  const refused = checkFailure(state, locale)
  const error = refused?.questionId === question.id ? refused : undefined
  const previous = result?.response ?? error?.response ?? []
  const labelId = `${anchor}-label`
  const promptId = `${anchor}-prompt`
  const feedbackId = `${anchor}-feedback`
  // Named by its title and its question: two checks in one lesson are two distinct landmarks.
  return (
    <section className="check" id={anchor} aria-labelledby={`${labelId} ${promptId}`}>
      <p className="check-title" id={labelId}>
        {m.check.title}
      </p>
      <form method="post" action={`${action}#${anchor}`} className="check-form">
        <input type="hidden" name="question" value={question.id} />
        <fieldset aria-describedby={result || error ? feedbackId : undefined}>
          <legend id={promptId}>{question.prompt}</legend>
          <Inputs question={question} previous={previous} m={m} anchor={anchor} errorId={error ? feedbackId : undefined} />
        </fieldset>
        <button type="submit">{result ? m.check.again : m.check.submit}</button>
      </form>
      {error ? (
        <p className="check-feedback check-error" id={feedbackId} role="alert">
          <strong>{m.check.error}</strong> {error.message}
        </p>
      ) : null}
      {result ? (
        <div className={`check-feedback check-${result.verdict}`} id={feedbackId} role="status">
          <p>
            <strong>{m.check[result.verdict]}</strong>
          </p>
          <p>
            {m.check.correctAnswer} <strong>{result.correctAnswer}</strong>
          </p>
          <p>
            {m.check.explanation} {result.explanation}
          </p>
        </div>
      ) : null}
    </section>
  )
}

/** The answer fields of a question; `name` is "answer" in a lesson, one name per question in a quiz. */
export function Inputs({
  question,
  previous,
  m,
  anchor,
  name = 'answer',
  errorId,
}: {
  question: PublicQuestion
  previous: string[]
  m: Messages['content']
  anchor: string
  name?: string
  /** The id of the reason this answer was refused, shown beside it: every field points to it. */
  errorId?: string
}) {
  const chosen = new Set(previous)
  const invalid = errorId ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {}
  switch (question.type) {
    case 'single':
    case 'multiple':
      return (
        <ul className="check-options">
          {question.options!.map((o) => (
            <li key={o.id}>
              <label>
                <input type={question.type === 'single' ? 'radio' : 'checkbox'} name={name} value={o.id} defaultChecked={chosen.has(o.id)} {...invalid} /> {o.text}
              </label>
            </li>
          ))}
        </ul>
      )
    case 'true-false':
      return (
        <ul className="check-options check-inline">
          {(['true', 'false'] as const).map((v) => (
            <li key={v}>
              <label>
                <input type="radio" name={name} value={v} defaultChecked={chosen.has(v)} {...invalid} /> {v === 'true' ? m.check.trueLabel : m.check.falseLabel}
              </label>
            </li>
          ))}
        </ul>
      )
    case 'short-text':
    case 'numeric':
    case 'numeric-drawn':
      return (
        <p>
          <label htmlFor={`${anchor}-answer`}>{m.check.yourAnswer}</label>{' '}
          <input
            id={`${anchor}-answer`}
            name={name}
            type="text"
            inputMode={question.type === 'short-text' ? undefined : 'decimal'}
            autoComplete="off"
            maxLength={200}
            defaultValue={previous[0] ?? ''}
            {...invalid}
          />
          {question.unit ? ` ${question.unit}` : null}
        </p>
      )
    case 'matching':
      return (
        <ol className="check-matching">
          {question.left!.map((left, i) => (
            <li key={left}>
              <label htmlFor={`${anchor}-match-${i}`}>{left}</label>{' '}
              <select id={`${anchor}-match-${i}`} name={name} defaultValue={previous[i] ?? ''} {...invalid}>
                <option value="">{m.check.choose}</option>
                {question.right!.map((right) => (
                  <option key={right} value={right}>
                    {right}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ol>
      )
  }
}
