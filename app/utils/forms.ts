// One result shape for every form (docs/decisions/015-rate-limit-and-form-results.md). A refused
// form answers 400 with { ok: false, values, fieldErrors, formError }: what was typed (secrets
// left out), so the page shows it again; the message keys per field; one key for the whole form.
// Fields are read with every repeated value kept (Object.fromEntries kept only the last): a field
// the form means to repeat (a checkbox group) reaches the schema as an array; any other field as
// its first value, as FormData.get() gives it. Pure code, shared by actions and components.
import type { z } from 'zod'
import type { AppError, ErrorKey, ErrorParams, MessageRef } from './errors'

/** The fields of a form as sent: one value → a string, a repeated field → all its values. Files are left out. */
export type FormValues = Record<string, string | string[]>

export interface FormFailure<K extends string = string> {
  ok: false
  values: FormValues
  fieldErrors: Partial<Record<string, K[]>>
  formError: K | null
  /** Values the message needs (minutes to wait, a limit, the columns missing…). */
  params?: Record<string, string | number>
}

/** Fields never sent back to the page. */
const SECRET = /password|pin|token|secret/i
/** What is echoed is bounded: a megabyte of garbage is not sent back. */
const ECHO_MAX_CHARS = 2000
const ECHO_MAX_VALUES = 200

export function formFields(form: FormData | URLSearchParams): FormValues {
  const out: FormValues = Object.create(null) as FormValues
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string') continue
    const previous = Object.hasOwn(out, name) ? out[name] : undefined
    // Appended in place: copying the array for every repeat made a body of one name repeated
    // n times cost n² (a megabyte of garbage took a second of CPU per request).
    if (previous === undefined) out[name] = value
    else if (Array.isArray(previous)) previous.push(value)
    else out[name] = [previous, value]
  }
  return out
}

/** What the page may show again: no secrets, each value bounded. */
export function echoValues(fields: FormValues): FormValues {
  const out: FormValues = {}
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET.test(name) || name.length > 100) continue
    out[name] = Array.isArray(value) ? value.slice(0, ECHO_MAX_VALUES).map((v) => v.slice(0, ECHO_MAX_CHARS)) : value.slice(0, ECHO_MAX_CHARS)
  }
  return out
}

/** The Zod issues as message keys per field (path[0]); issues without a field go to the form. */
export function errorsOf<K extends string>(error: z.ZodError): { fieldErrors: Partial<Record<string, K[]>>; formError: K | null } {
  const fieldErrors: Partial<Record<string, K[]>> = {}
  let formError: K | null = null
  for (const issue of error.issues) {
    const field = issue.path[0]
    if (field === undefined || field === 'form') formError ??= issue.message as K
    else (fieldErrors[String(field)] ??= []).push(issue.message as K)
  }
  return { fieldErrors, formError }
}

/** A service's refusal ({ field: key } or { field: [keys] }, "form" for the whole form) in the one shape. */
export function errorsFromMap<K extends string>(errors: Partial<Record<string, K | K[]>>): { fieldErrors: Partial<Record<string, K[]>>; formError: K | null } {
  const fieldErrors: Partial<Record<string, K[]>> = {}
  let formError: K | null = null
  for (const [field, value] of Object.entries(errors)) {
    const keys: K[] = value === undefined ? [] : Array.isArray(value) ? value : [value]
    if (field === 'form') formError = keys[0] ?? null
    else if (keys.length) fieldErrors[field] = keys
  }
  return { fieldErrors, formError }
}

export function formFailure<K extends string>(
  values: FormValues,
  { fieldErrors = {}, formError = null, params }: { fieldErrors?: Partial<Record<string, K[]>>; formError?: K | null; params?: Record<string, string | number> } = {},
): FormFailure<K> {
  return { ok: false, values, fieldErrors, formError, ...(params ? { params } : {}) }
}

/** The plain values among a message's parameters (a nested message is not a form parameter). */
function plainParams(params: ErrorParams | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(params ?? {})) if (typeof value === 'string' || typeof value === 'number') out[name] = value
  return out
}

/**
 * A domain refusal (AppError) in the one shape: its message key beside `field`, or for the whole
 * form, with its plain parameters. When it carries why an answer does not fit its question
 * (details.answer, a message of its own), that reason goes beside `answerField` instead, and
 * `answerFormError` (if given) says so for the whole form.
 */
export function failureFromError(
  values: FormValues,
  error: AppError,
  { field, answerField, answerFormError }: { field?: string; answerField?: string; answerFormError?: ErrorKey } = {},
): FormFailure<ErrorKey> {
  const answer = error.details?.answer as MessageRef | undefined
  if (answer && answerField)
    return formFailure<ErrorKey>(values, { fieldErrors: { [answerField]: [answer.key] }, formError: answerFormError ?? null, params: { ...plainParams(error.params), ...plainParams(answer.params) } })
  const params = plainParams(error.params)
  return formFailure<ErrorKey>(values, field ? { fieldErrors: { [field]: [error.key] }, params } : { formError: error.key, params })
}

export type Parsed<S extends z.ZodTypeAny, K extends string> = { ok: true; data: z.output<S>; values: FormValues } | { ok: false; failure: FormFailure<K> }

/**
 * Reads the form and checks it with the schema. `repeated` names the fields that may come more
 * than once (they always reach the schema as an array, [] when absent), or tells them by name
 * (fields made per question: "q.<id>").
 */
export function parseForm<S extends z.ZodTypeAny, K extends string = string>(
  form: FormData | URLSearchParams,
  schema: S,
  { repeated = [] }: { repeated?: string[] | ((name: string) => boolean) } = {},
): Parsed<S, K> {
  const fields = formFields(form)
  const many = typeof repeated === 'function' ? repeated : (name: string) => repeated.includes(name)
  const input: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) input[name] = many(name) ? [value].flat() : Array.isArray(value) ? value[0] : value
  if (Array.isArray(repeated)) for (const name of repeated) input[name] ??= []
  const values = echoValues(fields)
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data as z.output<S>, values }
  return { ok: false, failure: formFailure(values, errorsOf<K>(parsed.error)) }
}

/** The typed value of a field (its first, if repeated), for a defaultValue. */
export function typed(values: FormValues | null | undefined, name: string, fallback = ''): string {
  const value = values?.[name]
  if (value === undefined) return fallback
  return Array.isArray(value) ? (value[0] ?? fallback) : value
}

/** Every typed value of a repeated field (checkboxes to check again). */
export function typedAll(values: FormValues | null | undefined, name: string): string[] {
  const value = values?.[name]
  return value === undefined ? [] : [value].flat()
}

/** Field errors and the form's error in one map ("form" for the latter), for pages that show them so. */
export function allErrors<K extends string>(failure: FormFailure<K> | null): Partial<Record<string, K[]>> {
  if (!failure) return {}
  return failure.formError ? { ...failure.fieldErrors, form: [failure.formError] } : failure.fieldErrors
}

/** The failure in an action's answer, if it is one. */
export function failureOf<K extends string>(result: unknown): FormFailure<K> | null {
  return typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false && 'values' in result ? (result as FormFailure<K>) : null
}
