// The answer of a refused periodic-report form, and its text for the page (pure: shared by the
// actions and the components).
import type { Messages } from '~/locales/types'
import type { FormFailure } from '~/utils/forms'

export type PeriodErrorKey = keyof Messages['periods']['errors']
export type PeriodFailure = FormFailure<PeriodErrorKey> & { message?: string }

/** The text of a refusal for the page: the domain message, else the first field or form key. */
export function refusalText(m: Messages, failure: PeriodFailure | null): string | null {
  if (!failure) return null
  if (failure.message) return failure.message
  const key = failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? 'invalid'
  return m.periods.errors[key] ?? m.periods.errors.invalid
}
