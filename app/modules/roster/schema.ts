// The import page's form: confirm a preview, or cancel it (ticking the box when it is being applied).
import { z } from 'zod'

/** Message keys of m.reports.import the import page's form answers with. */
export type ImportFormErrorKey = 'cancelApplyingNeedsConfirm' | 'notCancellable' | 'alreadyApplied' | 'intentInvalid'
const key = (k: ImportFormErrorKey) => k

export const ImportActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('confirm') }),
    z.object({ intent: z.literal('cancel'), confirm: z.literal('yes').optional().catch(undefined) }),
  ],
  { errorMap: () => ({ message: key('intentInvalid') }) },
)
