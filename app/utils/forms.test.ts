import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { echoValues, errorsFromMap, formFields, parseForm, typed, typedAll } from './forms'

function form(entries: Array<[string, string]>): FormData {
  const f = new FormData()
  for (const [k, v] of entries) f.append(k, v)
  return f
}

describe('formFields', () => {
  it('keeps every value of a repeated field, in order (Object.fromEntries kept only the last)', () => {
    const fields = formFields(form([['lessons', 'a'], ['name', 'Hoa'], ['lessons', 'b'], ['lessons', 'c']]))
    expect(fields.lessons).toEqual(['a', 'b', 'c'])
    expect(fields.name).toBe('Hoa')
    expect(Object.fromEntries(form([['lessons', 'a'], ['lessons', 'b']]))).toEqual({ lessons: 'b' }) // what it replaces
  })

  it('reads one name repeated 200 000 times (a megabyte of garbage) in one pass', () => {
    // Copying the values for every repeat cost n²: a megabyte of garbage bytes (about 4 000
    // fields) took a second of CPU per request, and this body would take most of an hour; read
    // in place it takes milliseconds, well inside the unit test limit even on a loaded machine.
    const f = new FormData()
    for (let i = 0; i < 200_000; i++) f.append('', String(i % 10))
    const fields = formFields(f)
    expect(fields['']).toHaveLength(200_000)
    expect((fields[''] as string[]).slice(0, 3)).toEqual(['0', '1', '2'])
  }, 60_000)

  it('leaves files out and is safe with field names like __proto__', () => {
    const f = form([['__proto__', 'x'], ['constructor', 'y']])
    f.append('file', new Blob(['data']), 'a.csv')
    const fields = formFields(f)
    expect(fields.__proto__).toBe('x')
    expect(fields.file).toBeUndefined()
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})

describe('echoValues', () => {
  it('never sends secrets back, and bounds what it sends', () => {
    const values = echoValues(formFields(form([['password', 'Bí mật 2026'], ['passwordConfirm', 'x'], ['currentPassword', 'y'], ['pin', '1234'], ['fullName', 'x'.repeat(5000)]])))
    expect(Object.keys(values)).toEqual(['fullName'])
    expect((values.fullName as string).length).toBe(2000)
  })
})

describe('parseForm', () => {
  const Schema = z.object({ name: z.string().min(2, 'nameShort'), tags: z.array(z.string()).max(2, 'tooMany') })

  it('gives a repeated field to the schema as an array, [] when absent, and other fields as one value', () => {
    const ok = parseForm(form([['name', 'Hoa'], ['name', 'Mai'], ['tags', 'a'], ['tags', 'b']]), Schema, { repeated: ['tags'] })
    expect(ok.ok && ok.data).toEqual({ name: 'Hoa', tags: ['a', 'b'] })
    const none = parseForm(form([['name', 'Hoa']]), Schema, { repeated: ['tags'] })
    expect(none.ok && none.data.tags).toEqual([])
  })

  it('refuses with the one shape: what was typed, the keys per field, the form key', () => {
    const bad = parseForm(form([['name', 'H'], ['tags', 'a'], ['tags', 'b'], ['tags', 'c'], ['password', 'secret']]), Schema, { repeated: ['tags'] })
    expect(bad.ok).toBe(false)
    if (bad.ok) return
    expect(bad.failure).toEqual({ ok: false, values: { name: 'H', tags: ['a', 'b', 'c'] }, fieldErrors: { name: ['nameShort'], tags: ['tooMany'] }, formError: null })
    expect(typed(bad.failure.values, 'name')).toBe('H')
    expect(typedAll(bad.failure.values, 'tags')).toEqual(['a', 'b', 'c'])
    expect(typed(bad.failure.values, 'missing', 'mặc định')).toBe('mặc định')
  })

  it('maps a service refusal ({ field: key }, "form") into the same shape', () => {
    expect(errorsFromMap({ form: 'classArchived', due: 'dueInvalid', name: ['a', 'b'] })).toEqual({ formError: 'classArchived', fieldErrors: { due: ['dueInvalid'], name: ['a', 'b'] } })
  })
})
