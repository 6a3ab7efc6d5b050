// People sign in with an email address or a Vietnamese mobile number (many farmers and commune
// staff have no email). Both are stored in one normal form.

/** Vietnamese mobile numbers after the 2018 re-numbering: 03x, 05x, 07x, 08x, 09x + 8 digits. */
const MOBILE = /^(3|5|7|8|9)\d{8}$/

/** "0912 345 678", "+84 912-345-678", "84912345678" → "+84912345678"; null if not a mobile number. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s.\-()]/g, '')
  let national: string
  if (digits.startsWith('+84')) national = digits.slice(3)
  else if (digits.startsWith('84') && digits.length === 11) national = digits.slice(2)
  else if (digits.startsWith('0')) national = digits.slice(1)
  else return null
  return MOBILE.test(national) ? `+84${national}` : null
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function normalizeEmail(raw: string): string | null {
  const email = raw.normalize('NFC').trim().toLowerCase()
  return EMAIL.test(email) && email.length <= 254 ? email : null
}

export type Identifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string }

/** Reads what someone typed in the "email or phone" field. */
export function parseIdentifier(raw: string): Identifier | null {
  const text = raw.trim()
  if (text.includes('@')) {
    const email = normalizeEmail(text)
    return email ? { kind: 'email', value: email } : null
  }
  const phone = normalizePhone(text)
  return phone ? { kind: 'phone', value: phone } : null
}

/** "+84912345678" → "0912 345 678", the way people write it. */
export function formatPhone(phone: string): string {
  const national = `0${phone.slice(3)}`
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`
}
