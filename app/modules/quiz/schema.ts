// The attempt form: one field per question ("q.<question id>", repeated for multiple choice and
// matching), and the button pressed. Shared by the page (field names) and the action (parsing).
// A refusal is the one form-result shape (docs/decisions/015): the answers as typed, and the
// reason beside the question it is about.
import { z } from 'zod'

export const ANSWER_PREFIX = 'q.'

export function answerField(questionId: string): string {
  return `${ANSWER_PREFIX}${questionId}`
}

const MAX_QUESTIONS = 200
const MAX_VALUES = 20

/** Answer fields are repeated (multiple choice, matching): every value is kept. */
export const isAnswerField = (name: string) => name.startsWith(ANSWER_PREFIX)

/** The attempt form, read with parseForm(form, AttemptForm, { repeated: isAnswerField }). */
export const AttemptForm = z.preprocess(
  (fields) => {
    const input = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>
    const responses: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(input)) if (isAnswerField(key)) responses[key.slice(ANSWER_PREFIX.length)] = value
    // A post without an intent (Enter pressed in a text field of an old browser) only saves: the
    // save button also comes first in the form, so it is the default button for Enter.
    return { intent: typeof input.intent === 'string' ? input.intent : 'save', responses }
  },
  z.object({
    intent: z.enum(['save', 'submit']).catch('save'),
    responses: z
      .record(
        z.string().max(100),
        // PostgreSQL's jsonb cannot hold a NUL; no answer ever means one.
        z.array(z.string().max(1000).transform((v) => v.replaceAll('\u0000', ''))).max(MAX_VALUES),
      )
      .refine((r) => Object.keys(r).length <= MAX_QUESTIONS),
  }),
)
