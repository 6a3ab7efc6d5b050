import type { CheckResult, PublicQuestion } from '~/modules/content/types'
import type { Messages } from '~/locales/types'

export interface CheckState {
  /** The verdict of the question just answered (only that one). */
  result?: CheckResult
  /** A bad answer to that question: what to fix. */
  error?: { questionId: string; message: string; response: string[] }
}

export function checkAnchor(id: string) {
  return `tu-kiem-tra-${id}`
}

/**
 * A question in the lesson, answered by a plain form post: the server grades it and sends the page
 * back with the verdict and the explanation. The answer is never in the page before that.
 */
export function CheckYourself({ question, action, state, m }: { question: PublicQuestion | undefined; action: string; state: CheckState; m: Messages['content'] }) {
  if (!question) return null
  const anchor = checkAnchor(question.id)
  const result = state.result?.questionId === question.id ? state.result : undefined
  const error = state.error?.questionId === question.id ? state.error : undefined
  const previous = result?.response ?? error?.response ?? []
  const labelId = `${anchor}-label`
  const feedbackId = `${anchor}-feedback`
  return (
    <section className="check" id={anchor} aria-labelledby={labelId}>
      <p className="check-title" id={labelId}>
        {m.check.title}
      </p>
      <form method="post" action={`${action}#${anchor}`} className="check-form">
        <input type="hidden" name="question" value={question.id} />
        <fieldset aria-describedby={result || error ? feedbackId : undefined}>
          <legend>{question.prompt}</legend>
          <Inputs question={question} previous={previous} m={m} anchor={anchor} />
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
export function Inputs({ question, previous, m, anchor, name = 'answer' }: { question: PublicQuestion; previous: string[]; m: Messages['content']; anchor: string; name?: string }) {
  const chosen = new Set(previous)
  switch (question.type) {
    case 'single':
    case 'multiple':
      return (
        <ul className="check-options">
          {question.options!.map((o) => (
            <li key={o.id}>
              <label>
                <input type={question.type === 'single' ? 'radio' : 'checkbox'} name={name} value={o.id} defaultChecked={chosen.has(o.id)} /> {o.text}
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
                <input type="radio" name={name} value={v} defaultChecked={chosen.has(v)} /> {v === 'true' ? m.check.trueLabel : m.check.falseLabel}
              </label>
            </li>
          ))}
        </ul>
      )
    case 'short-text':
    case 'numeric':
      return (
        <p>
          <label htmlFor={`${anchor}-answer`}>{m.check.yourAnswer}</label>{' '}
          <input
            id={`${anchor}-answer`}
            name={name}
            type="text"
            inputMode={question.type === 'numeric' ? 'decimal' : undefined}
            autoComplete="off"
            maxLength={200}
            defaultValue={previous[0] ?? ''}
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
              <select id={`${anchor}-match-${i}`} name={name} defaultValue={previous[i] ?? ''}>
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
