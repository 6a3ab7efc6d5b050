// What the training actions share: a refused form answers 400 with what was typed; a domain refusal
// (already on the list, a course not in the catalogue) with its message in the reader's language;
// "not found" (another subtree's session) and 403 (no scope) as the error page — never a 500.
import { data } from '@remix-run/node'
import type { TrainingErrorKey, TrainingFailure } from '~/modules/training/form-result'
import { isAppError } from '~/utils/errors'
import { formFailure, type FormValues } from '~/utils/forms'
import { throwAsResponse } from '~/utils/responses.server'

export function refusal(error: unknown, values: FormValues, intent?: string) {
  if (isAppError(error) && error.field) return data<TrainingFailure>({ ...formFailure(values, { formError: error.key as TrainingErrorKey }), intent }, { status: 400 })
  if (isAppError(error) && error.status < 500 && error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN') {
    return data<TrainingFailure>({ ...formFailure<TrainingErrorKey>(values, { formError: 'invalid' }), message: error.message, intent }, { status: error.status })
  }
  throwAsResponse(error)
}
