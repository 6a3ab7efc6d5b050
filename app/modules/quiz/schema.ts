// The attempt form: one field per question ("q.<question id>", repeated for multiple choice and
// matching), and the button pressed. Shared by the page (field names) and the action (parsing).
import { z } from 'zod'

export const ANSWER_PREFIX = 'q.'

export function answerField(questionId: string): string {
  return `${ANSWER_PREFIX}${questionId}`
}

const MAX_QUESTIONS = 200
const MAX_VALUES = 20

export const AttemptForm = z.preprocess(
  (form) => {
    const entries = form instanceof FormData ? [...form.entries()] : []
    const responses: Record<string, string[]> = {}
    for (const [key, value] of entries) {
      if (!key.startsWith(ANSWER_PREFIX) || typeof value !== 'string') continue
      ;(responses[key.slice(ANSWER_PREFIX.length)] ??= []).push(value)
    }
    const intent = entries.find(([key]) => key === 'intent')?.[1]
    // A post without an intent (Enter pressed in a text field of an old browser) only saves: the
    // save button also comes first in the form, so it is the default button for Enter.
    return { intent: typeof intent === 'string' ? intent : 'save', responses }
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
