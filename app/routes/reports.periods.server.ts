// What the periodic-report actions share: a refused form answers with its status and what was typed,
// a domain refusal (a race lost, a report already decided) with its message in the reader's
// language — never a 500 (docs/decisions/020).
import { data } from '@remix-run/node'
import type { PeriodErrorKey, PeriodFailure } from '~/modules/periods/form-result'
import { isAppError } from '~/utils/errors'
import { formFailure, type FormValues } from '~/utils/forms'
import { throwAsResponse } from '~/utils/responses.server'

export function refusal(error: unknown, values: FormValues) {
  if (isAppError(error) && error.field) return data<PeriodFailure>(formFailure(values, { formError: error.key as PeriodErrorKey }), { status: 400 })
  if (isAppError(error) && error.status < 500 && error.code !== 'NOT_FOUND') {
    return data<PeriodFailure>({ ...formFailure<PeriodErrorKey>(values, { formError: 'invalid' }), message: error.message }, { status: error.status })
  }
  throwAsResponse(error)
}
