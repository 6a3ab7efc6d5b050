// MDX → JavaScript with mdx-bundler, once per version of a file: one queue (concurrency 1, so two
// requests never compile the same file twice nor load the 2 cores), and a cache keyed by the file's
// path and a hash of its content, kept in memory and on disk so a restart compiles nothing
// (epicshop's compile-mdx.server.ts, kentcdodds.com's mdx.server.ts). compileCount() says how many
// real compiles this process did: tests and benchmarks check it stays 0 after warm-up.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Element, Root as HastRoot } from 'hast'
import { bundleMDX } from 'mdx-bundler'
import rehypeAutolinkHeadings from 'rehype-autolink-headings'
import remarkGfm from 'remark-gfm'
import type { Pluggable } from 'unified'
import { singleton } from '~/utils/singleton.server'
import { createSlugger } from './text'
import type { TocEntry } from './types'

/** Bump when the plugins or their options change: every cached compile is then redone. */
export const PIPELINE_VERSION = 'mdx-1'

export const REMARK_PLUGINS: Pluggable[] = [remarkGfm]
export const REHYPE_PLUGINS: Pluggable[] = [
  rehypeHeadingIds,
  // The heading itself becomes the link to its section: readable by screen readers, no icon.
  [rehypeAutolinkHeadings, { behavior: 'wrap', properties: { className: ['heading-link'] } }],
]

export interface Compiled {
  code: string
  toc: TocEntry[]
}

interface CompilerState {
  memory: Map<string, Compiled>
  compiles: number
  queue: Promise<unknown>
}

const state = singleton<CompilerState>('content-compiler', () => ({ memory: new Map(), compiles: 0, queue: Promise.resolve() }))

/** How many times this process ran bundleMDX. */
export function compileCount(): number {
  return state.compiles
}

/** Forgets the in-memory cache (tests use it to play a restart; the disk cache stays). */
export function clearMemoryCache(): void {
  state.memory.clear()
}

/** Forgets every bundle in memory but these (the ones the served store uses): a reload's old bundles go. */
export function keepOnlyCompiled(keep: Set<object>): void {
  for (const [key, compiled] of state.memory) if (!keep.has(compiled)) state.memory.delete(key)
}

export function cacheKey(relFile: string, source: string): string {
  return createHash('sha256').update(PIPELINE_VERSION).update('\0').update(relFile).update('\0').update(source).digest('hex').slice(0, 32)
}

export class CompileError extends Error {}

/**
 * The compiled code of an MDX file: from memory, else from the disk cache, else compiled (in the
 * queue). `relFile` is the file's path in the project: the key must not change with the checkout's
 * folder.
 */
export async function compileMdx({ file, relFile, cacheDir }: { file: string; relFile: string; cacheDir: string }): Promise<Compiled> {
  const source = await fs.promises.readFile(file, 'utf8')
  const key = cacheKey(relFile, source)
  const hit = state.memory.get(key)
  if (hit) return hit
  const diskFile = path.join(cacheDir, 'mdx', `${key}.json`)
  const fromDisk = readCacheFile(diskFile)
  if (fromDisk) {
    state.memory.set(key, fromDisk)
    return fromDisk
  }
  const run = state.queue.then(async () => {
    // Another caller may have compiled it while this one waited in the queue.
    const done = state.memory.get(key)
    if (done) return done
    const compiled = await compileNow(file, relFile)
    state.memory.set(key, compiled)
    writeCacheFile(diskFile, compiled)
    return compiled
  })
  state.queue = run.catch(() => undefined)
  return run
}

async function compileNow(file: string, relFile: string): Promise<Compiled> {
  const toc: TocEntry[] = []
  state.compiles++
  try {
    const result = await bundleMDX({
      file,
      cwd: path.dirname(file),
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), ...REMARK_PLUGINS]
        options.rehypePlugins = [...(options.rehypePlugins ?? []), ...REHYPE_PLUGINS, [rehypeCollectToc, toc]]
        return options
      },
      esbuildOptions(options) {
        options.minify = true
        options.target = ['es2022']
        return options
      },
    })
    return { code: result.code, toc }
  } catch (error) {
    const e = error as { errors?: { text: string; location?: { line: number } }[]; message: string }
    const first = e.errors?.[0]
    throw new CompileError(`${relFile}${first?.location ? `:${first.location.line}` : ''}: không biên dịch được MDX: ${first?.text ?? e.message}`)
  }
}

function readCacheFile(file: string): Compiled | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Compiled
    return typeof parsed.code === 'string' && Array.isArray(parsed.toc) ? parsed : undefined
  } catch {
    return undefined
  }
}

/** Written to a temporary name and renamed: a reader never sees half a file. */
function writeCacheFile(file: string, compiled: Compiled): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(compiled))
  fs.renameSync(tmp, file)
}

// ─── rehype plugins of our own ───

function textOf(node: { type: string; value?: string; children?: unknown[] }): string {
  if (node.type === 'text') return node.value ?? ''
  return (node.children ?? []).map((c) => textOf(c as { type: string })).join('')
}

function headingsOf(tree: HastRoot): Element[] {
  const found: Element[] = []
  const go = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'element' && /^h[1-6]$/.test((node as Element).tagName)) found.push(node as Element)
    else for (const child of node.children ?? []) go(child as { type: string })
  }
  go(tree)
  return found
}

/** ASCII ids for headings ("Mật khẩu mạnh" → mat-khau-manh), the same ids the validator checks links against. */
function rehypeHeadingIds() {
  return (tree: HastRoot) => {
    const slug = createSlugger()
    for (const heading of headingsOf(tree)) heading.properties = { ...heading.properties, id: slug(textOf(heading)) }
  }
}

/** Collects the h2/h3 headings into `toc` for the page's table of contents. */
function rehypeCollectToc(toc: TocEntry[]) {
  return (tree: HastRoot) => {
    for (const heading of headingsOf(tree)) {
      const depth = Number(heading.tagName.slice(1))
      if (depth === 2 || depth === 3) toc.push({ id: String(heading.properties?.id), text: textOf(heading), depth })
    }
  }
}
