// Every form action reads its fields with app/utils/forms.ts (docs/decisions/015): no route turns a
// FormData into an object with Object.fromEntries (it keeps only the last value of a repeated
// field), and no action answers a refusal in a shape of its own ({ error }, { errors }, { done }).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = path.resolve('app/routes')
const routes = fs
  .readdirSync(dir)
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }))

/** Names a route binds to a FormData: `const form = await request.formData()`, or a multipart parse. */
function formDataNames(text: string): string[] {
  const names = new Set<string>()
  for (const m of text.matchAll(/(?:const|let)\s+(\w+)(?:\s*:\s*FormData)?\s*=\s*await\s+(?:request\.formData\(\)|unstable_parseMultipartFormData\()/g)) names.add(m[1]!)
  for (const m of text.matchAll(/(?:let|const)\s+(\w+)\s*:\s*FormData\b/g)) names.add(m[1]!)
  return [...names]
}

/** Where a FormData reaches Object.fromEntries in this text: `file:line`. */
export function fromEntriesOnFormData(file: string, text: string): string[] {
  const found: string[] = []
  const names = formDataNames(text)
  text.split('\n').forEach((line, i) => {
    for (const call of line.matchAll(/Object\.fromEntries\(\s*([^)]*)/g)) {
      const arg = call[1]!.trim()
      const direct = /^(await\s+)?(request\.)?formData\(\)|^await\s+request\.formData|formData\(/.test(arg)
      const named = names.some((n) => new RegExp(`^${n}\\b(?!\\.get\\()`).test(arg))
      const entries = /\.entries\(\)/.test(arg) && names.some((n) => arg.startsWith(`${n}.entries`))
      if (direct || named || entries) found.push(`${file}:${i + 1}`)
    }
  })
  return found
}

describe('form actions read their fields one way', () => {
  it('finds the pattern it forbids (so the check below can fail)', () => {
    expect(fromEntriesOnFormData('x.tsx', 'const form = await request.formData()\nconst v = Schema.safeParse(Object.fromEntries(form))')).toEqual(['x.tsx:2'])
    expect(fromEntriesOnFormData('y.tsx', 'const parsed = S.safeParse(Object.fromEntries(await request.formData()))')).toEqual(['y.tsx:1'])
    expect(fromEntriesOnFormData('z.tsx', 'let form: FormData\nform = await x()\nObject.fromEntries(form.entries())')).toEqual(['z.tsx:3'])
    expect(fromEntriesOnFormData('ok.tsx', 'const url = new URL(request.url)\nObject.fromEntries(url.searchParams)')).toEqual([])
  })

  it('no route under app/routes gives a FormData to Object.fromEntries', () => {
    expect(routes.length).toBeGreaterThan(20)
    expect(routes.flatMap((r) => fromEntriesOnFormData(r.file, r.text))).toEqual([])
  })

  it('every route with a form action that refuses uses the one form-result shape', () => {
    const actions = routes.filter((r) => /export (async function|const) action\b/.test(r.text))
    expect(actions.length).toBeGreaterThan(10)
    // The old shapes: { error: … }, { errors: … }, { done: … } answered from an action.
    const old = actions.flatMap((r) =>
      [...r.text.matchAll(/(?<!throw )data(?:<[^>]*>)?\(\s*\{\s*(error|errors|done|invalid)\s*:/g)].map((m) => `${r.file}: data({ ${m[1]}: … })`),
    )
    expect(old).toEqual([])
  })
})
