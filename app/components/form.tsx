// Accessible form pieces: every field has a label, its hint and error are tied to it with
// aria-describedby, and an invalid field says so (aria-invalid). No JavaScript needed.
import type { InputHTMLAttributes, ReactNode } from 'react'
import type { Messages } from '~/locales/types'
import { format, useMessages } from '~/utils/i18n'

export type ErrorKey = keyof Messages['auth']['errors']
export type FormErrors = Partial<Record<string, ErrorKey[]>>

export function useErrorText() {
  const { m, locale } = useMessages()
  return (key: ErrorKey | undefined, params?: Record<string, string | number>) =>
    key ? format(m.auth.errors[key] ?? key, params ?? {}, locale) : undefined
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string
  label: string
  hint?: string
  error?: string
  required?: boolean
}

export function Field({ name, label, hint, error, required, ...input }: FieldProps) {
  const { m } = useMessages()
  const id = `field-${name}`
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label} {required ? <span className="required">{m.auth.fields.required}</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <input id={id} name={name} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}

export function FormAlert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'success' }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}
