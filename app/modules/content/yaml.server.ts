// YAML (frontmatter, question banks, the final quiz) parsed with its line numbers, so a problem can
// say "line 12" and a Zod issue's path can be turned back into the line that holds it.
import { isCollection, isMap, LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { vietnameseErrorMap } from './schema'
import type { ContentProblem } from './types'

export interface YamlSource {
  value: unknown
  /** The line (1-based, in the whole file) of the value at this path, or of its nearest parent. */
  lineOf(path: readonly (string | number)[]): number | undefined
  problems: ContentProblem[]
}

/** `firstLine` is the line in the file where the YAML text starts (2 for frontmatter after `---`). */
export function parseYaml(source: string, file: string, firstLine = 1): YamlSource {
  const counter = new LineCounter()
  const doc: Document = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  const problems: ContentProblem[] = doc.errors.map((e) => ({
    file,
    line: e.linePos ? e.linePos[0].line + firstLine - 1 : undefined,
    message: `YAML sai cú pháp: ${e.message.split('\n')[0]}`,
  }))
  const lineAt = (offset: number) => counter.linePos(offset).line + firstLine - 1
  return {
    value: problems.length ? undefined : doc.toJS(),
    problems,
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const sub = path.slice(0, depth)
        const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true)
        if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
          // For a key of a map, point at the key's own line rather than at its nested value.
          if (depth > 0 && depth === path.length) {
            const parent = depth === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true)
            if (isMap(parent)) {
              const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(sub[depth - 1]))
              const keyRange = (pair?.key as { range?: number[] } | undefined)?.range
              if (keyRange) return lineAt(keyRange[0]!)
            }
          }
          return lineAt((node.range as number[])[0]!)
        }
        if (isCollection(node)) return undefined
      }
      return undefined
    },
  }
}

/** Validates parsed YAML with a schema; each issue becomes a problem at its line and field. */
export function validateWith<S extends z.ZodTypeAny>(
  schema: S,
  yaml: YamlSource,
  file: string,
  fieldPrefix: (string | number)[] = [],
): { data?: z.infer<S>; problems: ContentProblem[] } {
  const result = schema.safeParse(yaml.value, { errorMap: vietnameseErrorMap })
  if (result.success) return { data: result.data, problems: [] }
  const problems = result.error.issues.map((issue) => {
    // An unknown key is reported at the key itself.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
    const field = [...fieldPrefix, ...path].map(String).join('.')
    return { file, line: yaml.lineOf(path), field: field || undefined, message: issue.message }
  })
  return { problems }
}
