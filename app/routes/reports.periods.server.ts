// What the periodic-report routes share: a refused form answers with its status and what was typed,
// a domain refusal (a race lost, a report already decided) with its message in the reader's
// language — never a 500 (docs/decisions/020).
import { data } from '@remix-run/node'
import type { Messages } from '~/locales/types'
import { isAppError } from '~/utils/errors'
import { formFailure, type FormFailure, type FormValues } from '~/utils/forms'
import { throwAsResponse } from '~/utils/responses.server'

export type PeriodErrorKey = keyof Messages['periods']['errors']
export type PeriodFailure = FormFailure<PeriodErrorKey> & { message?: string }

/** A service's refusal as the form's answer: field keys stay keys; domain errors carry their message. */
export function refusal(error: unknown, values: FormValues) {
  if (isAppError(error) && error.field) return data<PeriodFailure>(formFailure(values, { formError: error.key as PeriodErrorKey }), { status: 400 })
  if (isAppError(error) && error.status < 500 && error.code !== 'NOT_FOUND') {
    return data<PeriodFailure>({ ...formFailure<PeriodErrorKey>(values, { formError: 'invalid' }), message: error.message }, { status: error.status })
  }
  throwAsResponse(error)
}

/** The text of a refusal for the page: the domain message, else the first field or form key. */
export function refusalText(m: Messages, failure: PeriodFailure | null): string | null {
  if (!failure) return null
  if (failure.message) return failure.message
  const key = failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? 'invalid'
  return m.periods.errors[key] ?? m.periods.errors.invalid
}
