// The routes of the app, found by reading app/routes (Remix flat routes), so the sweeps (fuzzing
// every action, IDOR over every address with an id) stay complete when routes are added: a route
// that the sweep's table does not know fails that test, naming the route.
import fs from 'node:fs'
import path from 'node:path'

export interface RouteModule {
  /** The route id as Remix names it: the file name without extension, e.g. "courses.$course.quiz.$attempt". */
  id: string
  file: string
  /** The URL pattern, e.g. "/courses/:course/quiz/:attempt". */
  pattern: string
  params: string[]
  hasAction: boolean
  hasLoader: boolean
}

const ROUTES_DIR = path.resolve('app/routes')
// As remix.config.js's ignoredRouteFiles: tests and server-only helpers beside routes are not routes.
const IGNORED = [/^\./, /\.test\.tsx?$/, /\.server\.tsx?$/]

function patternOf(id: string): string {
  const segments = id
    .replaceAll('[.]', '\u0001') // an escaped dot is part of a segment
    .split('.')
    .map((s) => s.replaceAll('\u0001', '.'))
    .filter((s) => s !== '_index' && s !== 'route' && !s.startsWith('_'))
    .map((s) => (s === '$' ? '*' : s.startsWith('$') ? `:${s.slice(1)}` : s.replace(/_$/, '')))
  return `/${segments.join('/')}`
}

export function routeModules(): RouteModule[] {
  const modules: RouteModule[] = []
  for (const entry of fs.readdirSync(ROUTES_DIR, { withFileTypes: true })) {
    let file: string
    let id: string
    if (entry.isDirectory()) {
      const inner = ['route.tsx', 'route.ts'].find((f) => fs.existsSync(path.join(ROUTES_DIR, entry.name, f)))
      if (!inner) continue
      file = path.join(ROUTES_DIR, entry.name, inner)
      id = entry.name
    } else {
      if (IGNORED.some((re) => re.test(entry.name)) || !/\.(tsx?|jsx?)$/.test(entry.name)) continue
      file = path.join(ROUTES_DIR, entry.name)
      id = entry.name.replace(/\.(tsx?|jsx?)$/, '')
    }
    const source = fs.readFileSync(file, 'utf8')
    const exports = (name: string) =>
      new RegExp(`export\\s+(async\\s+)?function\\s+${name}\\b|export\\s+const\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`).test(source)
    const pattern = patternOf(id)
    modules.push({
      id,
      file: path.relative(process.cwd(), file),
      pattern,
      params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      hasAction: exports('action'),
      hasLoader: exports('loader'),
    })
  }
  return modules.sort((a, b) => a.id.localeCompare(b.id))
}

/** Fills ":name" in a pattern. */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`)
    return encodeURIComponent(value)
  })
}

/** The test fails with this when a discovered route has no entry in a sweep's table. */
export function missingEntries(routes: RouteModule[], table: Record<string, unknown>, what: string): string[] {
  return routes
    .filter((r) => !(r.id in table))
    .map((r) => `${r.id} (${r.file}, ${r.pattern}) has no entry in the ${what} table: add one (see the table's header comment)`)
}
