// The answer formula of a drawn numeric question ("numeric-drawn"): plain arithmetic of named
// numbers, parsed here (no eval), and the numbers themselves, drawn from a seed so that the same
// attempt always shows and grades the same numbers. The seed is stored with the attempt on the
// server; the page only ever gets the prompt with the numbers filled in (docs/decisions/024).
import { formatNumber } from './numbers'

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'call'; name: FunctionName; args: Expr[] }

const FUNCTIONS = { round: [1, 2], min: [2, 10], max: [2, 10], abs: [1, 1] } as const
type FunctionName = keyof typeof FUNCTIONS

export class FormulaError extends Error {}

/** Parses "(thu - chi) * 2", "round(tong / soNguoi, 1)". Throws FormulaError with a Vietnamese message. */
export function parseFormula(source: string): Expr {
  const tokens = source.match(/\d+(?:\.\d+)?|[a-zA-Z][a-zA-Z0-9]*|[-+*/(),]|\S/g) ?? []
  let at = 0
  const peek = () => tokens[at]
  const next = () => tokens[at++]
  const expect = (t: string) => {
    if (next() !== t) throw new FormulaError(`công thức thiếu "${t}"`)
  }
  const primary = (): Expr => {
    const t = next()
    if (t === undefined) throw new FormulaError('công thức bị cụt')
    if (t === '(') {
      const e = sum()
      expect(')')
      return e
    }
    if (t === '-') return { kind: 'neg', arg: primary() }
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) }
    if (/^[a-zA-Z]/.test(t)) {
      if (peek() === '(') {
        if (!(t in FUNCTIONS)) throw new FormulaError(`hàm "${t}" không dùng được (chỉ có ${Object.keys(FUNCTIONS).join(', ')})`)
        next()
        const args: Expr[] = [sum()]
        while (peek() === ',') {
          next()
          args.push(sum())
        }
        expect(')')
        const [least, most] = FUNCTIONS[t as FunctionName]
        if (args.length < least || args.length > most) throw new FormulaError(`hàm ${t} nhận từ ${least} đến ${most} đối số`)
        return { kind: 'call', name: t as FunctionName, args }
      }
      return { kind: 'var', name: t }
    }
    throw new FormulaError(`ký tự "${t}" không dùng được trong công thức`)
  }
  const product = (): Expr => {
    let e = primary()
    while (peek() === '*' || peek() === '/') e = { kind: 'bin', op: next() as '*' | '/', left: e, right: primary() }
    return e
  }
  const sum = (): Expr => {
    let e = product()
    while (peek() === '+' || peek() === '-') e = { kind: 'bin', op: next() as '+' | '-', left: e, right: product() }
    return e
  }
  const e = sum()
  if (at !== tokens.length) throw new FormulaError(`công thức thừa "${tokens.slice(at).join(' ')}"`)
  return e
}

export function variablesOf(e: Expr, out = new Set<string>()): Set<string> {
  if (e.kind === 'var') out.add(e.name)
  else if (e.kind === 'neg') variablesOf(e.arg, out)
  else if (e.kind === 'bin') {
    variablesOf(e.left, out)
    variablesOf(e.right, out)
  } else if (e.kind === 'call') e.args.forEach((a) => variablesOf(a, out))
  return out
}

export function evaluate(e: Expr, values: Record<string, number>): number {
  switch (e.kind) {
    case 'num':
      return e.value
    case 'var': {
      const v = values[e.name]
      if (v === undefined) throw new FormulaError(`biến "${e.name}" chưa được khai báo trong variables`)
      return v
    }
    case 'neg':
      return -evaluate(e.arg, values)
    case 'bin': {
      const l = evaluate(e.left, values)
      const r = evaluate(e.right, values)
      if (e.op === '/' && r === 0) throw new FormulaError('công thức chia cho 0 với một bộ số rút được')
      return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r
    }
    case 'call': {
      const args = e.args.map((a) => evaluate(a, values))
      if (e.name === 'round') {
        const factor = 10 ** (args[1] ?? 0)
        return Math.round(args[0]! * factor + Number.EPSILON * Math.sign(args[0]!)) / factor
      }
      if (e.name === 'abs') return Math.abs(args[0]!)
      return e.name === 'min' ? Math.min(...args) : Math.max(...args)
    }
  }
}

export interface VariableRange {
  min: number
  max: number
  step: number
}

/** A small deterministic generator (mulberry32) so a seed always gives the same numbers. */
function generator(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** How many values a range holds (min, min+step, … up to max). */
export const stepsOf = (r: VariableRange) => Math.floor((r.max - r.min) / r.step + 1e-9) + 1

/** The numbers of one variant: each variable from its range, in the order the author wrote them. */
export function drawValues(variables: Record<string, VariableRange>, seed: number): Record<string, number> {
  const random = generator(seed)
  const out: Record<string, number> = {}
  for (const [name, range] of Object.entries(variables)) {
    const k = Math.floor(random() * stepsOf(range))
    // Rounded to the step's decimals, so 0.1 steps never show 0.30000000000000004.
    const decimals = (String(range.step).split('.')[1] ?? '').length
    out[name] = Number((range.min + k * range.step).toFixed(decimals))
  }
  return out
}

/** The prompt with {name} replaced by its number, written for a Vietnamese reader (4.500.000). */
export function fillPrompt(prompt: string, values: Record<string, number>): string {
  return prompt.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) => (values[name] === undefined ? whole : formatNumber(values[name]!)))
}

/** The {name} placeholders a prompt uses. */
export function placeholdersOf(prompt: string): string[] {
  return [...prompt.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1]!)
}
