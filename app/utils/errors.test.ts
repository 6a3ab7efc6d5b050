import { describe, expect, it } from 'vitest'
import { errors as en } from '~/locales/en/errors'
import { errors as vi } from '~/locales/vi/errors'
import { inLocale } from '~/server/request-locale.server'
import { AppError } from './errors'

describe('AppError', () => {
  it('carries a key and is read in the language of the request being served, Vietnamese outside one', () => {
    const error = new AppError('CONFLICT', 'quiz.attemptsUsed', { allowed: 3 })
    expect(error.message).toBe('Bạn đã dùng hết 3 lượt làm bài kiểm tra của khoá này.')
    expect(inLocale('en', () => error.message)).toBe('You have used all 3 attempts at this course’s quiz.')
    expect(inLocale('vi', () => error.message)).toBe('Bạn đã dùng hết 3 lượt làm bài kiểm tra của khoá này.')
    expect(error).toMatchObject({ key: 'quiz.attemptsUsed', status: 409 })
  })

  it('a form-field error keeps the form key for the route to translate', () => {
    expect(inLocale('en', () => AppError.field('roleInvalid').message)).toBe('roleInvalid')
  })

  it('every key has both languages, with the same parameters', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      expect(en[key], key).toBeTruthy()
      expect(params(en[key]), key).toEqual(params(vi[key]))
    }
  })
})
