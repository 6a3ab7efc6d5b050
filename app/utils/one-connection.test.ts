// Both database modes are one code path, and the embedded one (PGlite) has ONE connection: inside
// a transaction, a query on the outer client waits for a connection the transaction itself holds
// (5 s, then a failure — issue 14.1). This reads every `$transaction(async (tx) => …)` in app/ and
// fails when its body names the outer client (`db`, `prisma`, `prisma()`) instead of `tx`.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : []
  })
}

/** Every use of the outer client inside a transaction's callback, as "file:line: text". */
export function outerClientUses(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === '$transaction' &&
      node.arguments[0] &&
      (ts.isArrowFunction(node.arguments[0]) || ts.isFunctionExpression(node.arguments[0]))
    ) {
      const outer = node.expression.expression.getText(source) // `db`, `prisma`, `prisma()`, `t.db.prisma`
      const root = outer.replace(/\(\)$/, '').split('.')[0]!
      const body = node.arguments[0].body
      const inner = (n: ts.Node) => {
        if (ts.isIdentifier(n) && (n.text === root || n.text === 'prisma' || n.text === 'getDatabase')) {
          const parent = n.parent
          // A property named like the client (`x.db`, `{ prisma: … }` keys) is not the client.
          const isName = (ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n)
          if (!isName) {
            const { line } = source.getLineAndCharacterOfPosition(n.getStart(source))
            found.push(`${fileName}:${line + 1}: ${parent.getText(source).slice(0, 80)}`)
          }
        }
        ts.forEachChild(n, inner)
      }
      inner(body)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('one connection inside a transaction', () => {
  it('finds the outer client used inside a transaction (the roster import did this)', () => {
    const bad = `async function f(db) { await db.$transaction(async (tx) => { await tx.a.create({}); await db.b.update({}) }) }`
    expect(outerClientUses('bad.ts', bad)).toEqual(['bad.ts:1: db.b'])
    const global = `async function g() { await prisma().$transaction(async (tx) => { await other(prisma()) }) }`
    expect(outerClientUses('global.ts', global)).toHaveLength(1)
    const good = `async function h(db) { await db.$transaction(async (tx) => { await tx.a.create({ data: { db: 1 } }); return x.db }) }`
    expect(outerClientUses('good.ts', good)).toEqual([])
  })

  it('no transaction in app/ uses anything but its own connection', () => {
    const uses = sourceFiles(path.resolve('app')).flatMap((f) => outerClientUses(path.relative(process.cwd(), f), fs.readFileSync(f, 'utf8')))
    expect(uses).toEqual([])
  })
})
