// The answer of a refused training form, and its text for the page (pure: shared by the actions
// and the components), as app/modules/periods/form-result.ts.
import type { Messages } from '~/locales/types'
import type { FormFailure } from '~/utils/forms'

export type TrainingErrorKey = keyof Messages['training']['errors']
export type TrainingFailure = FormFailure<TrainingErrorKey> & { message?: string; intent?: string }

/** The text of one field's first error, if any. */
export function fieldText(m: Messages, failure: TrainingFailure | null, field: string): string | undefined {
  const key = failure?.fieldErrors[field]?.[0]
  return key ? (m.training.errors[key] ?? m.training.errors.invalid) : undefined
}

/** The text of a refusal for the whole form: the domain message, else the form key or the first field's, else "invalid". */
export function refusalText(m: Messages, failure: TrainingFailure | null): string | null {
  if (!failure) return null
  if (failure.message) return failure.message
  const key = failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? 'invalid'
  return m.training.errors[key] ?? m.training.errors.invalid
}
