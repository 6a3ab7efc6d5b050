import { Field } from './form'
import { useMessages } from '~/utils/i18n'

/** A new password and its confirmation, as every form that sets one asks for them. */
export function NewPasswordFields({ errors }: { errors: { password?: string; passwordConfirm?: string } }) {
  const { m } = useMessages()
  return (
    <>
      <Field name="password" type="password" label={m.auth.fields.newPassword} hint={m.auth.fields.passwordHint} required autoComplete="new-password" error={errors.password} />
      <Field name="passwordConfirm" type="password" label={m.auth.fields.passwordConfirm} required autoComplete="new-password" error={errors.passwordConfirm} />
    </>
  )
}
