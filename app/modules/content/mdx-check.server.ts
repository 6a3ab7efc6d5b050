// Reads one MDX file as a syntax tree (no compiling) and checks what the compiler would not: only
// known components with valid props, no code (import/export/expressions), images and files that
// exist beside the lesson, links that lead somewhere. Collects what the pipeline needs next: the
// files to publish, the questions used, the headings and the plain text for search.
import fs from 'node:fs'
import path from 'node:path'
import type { Heading, Image, Link, Root, RootContent } from 'mdast'
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx'
import { toString } from 'mdast-util-to-string'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMdx from 'remark-mdx'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { z } from 'zod'
import { vietnameseErrorMap } from './schema'
import { createSlugger } from './text'
import type { ContentProblem } from './types'

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const
export const DOWNLOAD_EXTENSIONS = ['.pdf', '.docx', '.xlsx', '.pptx', '.odt', '.ods', '.odp', '.txt', '.csv', '.zip', '.png', '.jpg'] as const
const ASSET_NAME = /^[a-z0-9][a-z0-9._-]*$/
const MAX_ASSET_BYTES = 20 * 1024 * 1024

/** Lower-case HTML that authors may write in MDX; everything else goes through a component. */
const ALLOWED_HTML: Record<string, string[]> = { kbd: [], abbr: ['title'], sub: [], sup: [], br: [], mark: [], small: [] }

const str = (min = 1) => z.string().trim().min(min)
/** Each component of the one MDX map, with the props an author may give it. */
export const COMPONENT_PROPS = {
  Callout: z.object({ type: z.enum(['note', 'tip', 'warning']).default('note'), title: str().optional() }).strict(),
  Figure: z.object({ src: str(), alt: str(3), caption: str().optional() }).strict(),
  Steps: z.object({}).strict(),
  Step: z.object({ title: str(), image: str().optional(), alt: str(3).optional() }).strict(),
  KeyTerm: z.object({ term: str() }).strict(),
  Download: z.object({ file: str(), title: str() }).strict(),
  CheckYourself: z.object({ question: str() }).strict(),
} as const
export type ComponentName = keyof typeof COMPONENT_PROPS
export const COMPONENT_NAMES = Object.keys(COMPONENT_PROPS) as ComponentName[]

export type AssetKind = 'image' | 'svg' | 'file'
export interface AssetRef {
  /** As written in the MDX, normalised to start with "./". */
  ref: string
  absPath: string
  kind: AssetKind
}

export interface MdxFacts {
  assets: AssetRef[]
  /** Question ids used by <CheckYourself>, with their line. */
  checks: { id: string; line?: number }[]
  /** Links to /courses/… to resolve once every course is loaded. */
  internalLinks: { course: string; lesson?: string; line?: number }[]
  headings: { id: string; text: string; depth: number }[]
  plainText: string
}

type Jsx = MdxJsxFlowElement | MdxJsxTextElement
const processor = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

export function checkMdx(source: string, absFile: string, relFile: string, options: { allowChecks: boolean }): { facts: MdxFacts; problems: ContentProblem[] } {
  const problems: ContentProblem[] = []
  const facts: MdxFacts = { assets: [], checks: [], internalLinks: [], headings: [], plainText: '' }
  const problem = (node: { position?: { start: { line: number } } } | undefined, message: string, field?: string) =>
    problems.push({ file: relFile, line: node?.position?.start.line, field, message })

  let tree: Root
  try {
    tree = processor.parse(source)
  } catch (error) {
    const e = error as { line?: number; place?: { line?: number; start?: { line: number } }; reason?: string; message: string }
    const line = e.line ?? e.place?.line ?? e.place?.start?.line
    problems.push({ file: relFile, line: line ?? undefined, message: `MDX sai cú pháp: ${e.reason ?? e.message}` })
    return { facts, problems }
  }

  const dir = path.dirname(absFile)
  const slugger = createSlugger()
  // Headings first, so that links to "#a-heading" anywhere in the file can be checked.
  walk(tree, (node) => {
    if (node.type === 'heading') {
      const heading = node as Heading
      const text = toString(heading)
      facts.headings.push({ id: slugger(text), text, depth: heading.depth })
      if (heading.depth === 1) problem(node, 'không dùng tiêu đề cấp 1 (#): tiêu đề của trang là title trong phần đầu; hãy dùng ## cho các mục')
    }
  })
  const anchors = new Set(facts.headings.map((h) => h.id))

  const addAsset = (node: RootContent, ref: string, want: 'picture' | 'file', field: string) => {
    if (/^[a-z]+:/i.test(ref) || ref.startsWith('//')) {
      problem(node, `"${ref}": ${want === 'picture' ? 'ảnh' : 'tệp'} phải nằm cạnh bài học (đường dẫn như ./ten-tep.png), không lấy từ trang khác`, field)
      return
    }
    const clean = ref.replace(/^\.\//, '')
    if (clean.includes('/') || clean.includes('\\')) {
      problem(node, `"${ref}": chỉ dùng tệp nằm ngay trong thư mục của bài (./ten-tep), không dùng thư mục con hay ../`, field)
      return
    }
    const ext = path.extname(clean).toLowerCase()
    const kind: AssetKind = want === 'file' ? 'file' : ext === '.svg' ? 'svg' : 'image'
    if (want === 'picture' && ext !== '.svg' && !(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) {
      problem(node, `"${ref}": ảnh phải là .png, .jpg, .jpeg, .webp hoặc .svg`, field)
      return
    }
    if (want === 'file' && !(DOWNLOAD_EXTENSIONS as readonly string[]).includes(ext)) {
      problem(node, `"${ref}": loại tệp tải về không được hỗ trợ; dùng ${DOWNLOAD_EXTENSIONS.join(', ')}`, field)
      return
    }
    if (!ASSET_NAME.test(clean)) {
      problem(node, `"${ref}": tên tệp chỉ gồm chữ thường không dấu, số, dấu chấm và gạch ngang`, field)
      return
    }
    const absPath = path.join(dir, clean)
    let stat: fs.Stats | undefined
    try {
      stat = fs.statSync(absPath)
    } catch {
      stat = undefined
    }
    if (!stat?.isFile()) {
      problem(node, `${want === 'picture' ? 'không tìm thấy ảnh' : 'không tìm thấy tệp'} "${ref}" trong ${path.dirname(relFile)}`, field)
      return
    }
    if (kind === 'svg' && /<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(fs.readFileSync(absPath, 'utf8'))) {
      problem(node, `"${ref}": SVG không được chứa script, foreignObject hay thuộc tính on…`, field)
      return
    }
    if (stat.size > MAX_ASSET_BYTES) {
      problem(node, `"${ref}" quá lớn (${Math.round(stat.size / 1024 / 1024)} MB): tối đa 20 MB`, field)
      return
    }
    const key = `./${clean}`
    if (!facts.assets.some((a) => a.ref === key && a.kind === kind)) facts.assets.push({ ref: key, absPath, kind })
  }

  const checkLink = (node: Link) => {
    const url = node.url
    if (/^(https?:|mailto:|tel:)/i.test(url)) return
    if (url.startsWith('#')) {
      if (!anchors.has(decodeURIComponent(url.slice(1)))) problem(node, `liên kết hỏng "${url}": không có mục nào có mã này trong bài`)
      return
    }
    const courseLink = /^\/courses\/([^/#?]+)(?:\/([^/#?]+))?\/?(?:[#?].*)?$/.exec(url)
    if (courseLink) {
      facts.internalLinks.push({ course: courseLink[1]!, lesson: courseLink[2], line: node.position?.start.line })
      return
    }
    if (url === '/courses' || url === '/') return
    if (url.startsWith('/')) {
      problem(node, `liên kết "${url}": trong bài chỉ liên kết tới /courses/<khoá> hoặc /courses/<khoá>/<bài>`)
      return
    }
    addAsset(node, url, 'file', 'href')
  }

  const checkJsx = (node: Jsx) => {
    const name = node.name
    if (!name) return problem(node, 'không dùng <>…</> (fragment) trong bài')
    const props: Record<string, string | true> = {}
    for (const attribute of node.attributes) {
      if (attribute.type !== 'mdxJsxAttribute') return problem(node, `<${name}>: không dùng {...} trong thuộc tính`)
      if (attribute.value !== null && typeof attribute.value !== 'string') {
        return problem(node, `<${name} ${attribute.name}={…}>: giá trị thuộc tính phải viết trong dấu ngoặc kép`)
      }
      props[attribute.name] = attribute.value ?? true
    }
    if (name in ALLOWED_HTML) {
      const extra = Object.keys(props).filter((p) => !ALLOWED_HTML[name]!.includes(p))
      if (extra.length) problem(node, `<${name}>: thuộc tính không được phép: ${extra.join(', ')}`)
      return
    }
    if (!(name in COMPONENT_PROPS)) {
      return problem(node, `thành phần MDX không được biết: <${name}>. Dùng một trong: ${COMPONENT_NAMES.filter((n) => n !== 'Step').join(', ')}`)
    }
    const component = name as ComponentName
    const parsed = COMPONENT_PROPS[component].safeParse(props, { errorMap: vietnameseErrorMap })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.')
        problem(node, issue.code === 'unrecognized_keys' ? `<${name}>: thuộc tính không được biết` : `<${name}>: ${issue.message}`, field)
      }
      return
    }
    const data = parsed.data as Record<string, string | undefined>
    if (component === 'Figure') addAsset(node, data.src!, 'picture', 'src')
    if (component === 'Download') addAsset(node, data.file!, 'file', 'file')
    if (component === 'Step' && data.image) {
      if (!data.alt) problem(node, '<Step>: có ảnh thì phải có alt (mô tả ảnh cho người không nhìn thấy)', 'alt')
      addAsset(node, data.image, 'picture', 'image')
    }
    if (component === 'CheckYourself') {
      if (!options.allowChecks) problem(node, '<CheckYourself> chỉ dùng trong bài học, không dùng trong phần giới thiệu khoá')
      else facts.checks.push({ id: data.question!, line: node.position?.start.line })
    }
    if (component === 'Steps') {
      const strays = node.children.filter((c) => !(isJsx(c) && c.name === 'Step') && !(c.type === 'text' && c.value.trim() === ''))
      if (strays.length) problem(node, '<Steps> chỉ chứa các <Step title="…">…</Step>')
    }
  }

  walk(tree, (node, parent) => {
    switch (node.type) {
      case 'mdxjsEsm':
        problem(node, 'không dùng import/export trong bài: các thành phần đã có sẵn')
        break
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(node.value)) problem(node, 'không dùng biểu thức {…} trong bài (chỉ được ghi chú dạng {/* … */})')
        break
      case 'image':
        if (!(node as Image).alt?.trim()) problem(node, `ảnh "${(node as Image).url}" thiếu mô tả: viết ![mô tả ảnh](${(node as Image).url})`)
        addAsset(node, (node as Image).url, 'picture', 'src')
        break
      case 'link':
        checkLink(node as Link)
        break
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        if ((node as Jsx).name === 'Step' && !(parent && isJsx(parent) && parent.name === 'Steps')) {
          problem(node, '<Step> chỉ dùng bên trong <Steps>')
        }
        checkJsx(node as Jsx)
        break
    }
  })

  facts.plainText = toString({ ...tree, children: tree.children.filter((c) => c.type !== 'yaml') } as Root)
    .replace(/\s+/g, ' ')
    .trim()
  return { facts, problems }
}

function isJsx(node: unknown): node is Jsx {
  const type = (node as { type?: string }).type
  return type === 'mdxJsxFlowElement' || type === 'mdxJsxTextElement'
}

type AnyNode = { type: string; children?: AnyNode[]; position?: { start: { line: number } } }

function walk(tree: Root, visit: (node: RootContent & AnyNode, parent: AnyNode | undefined) => void) {
  const go = (node: AnyNode, parent: AnyNode | undefined) => {
    if (node !== (tree as AnyNode)) visit(node as RootContent & AnyNode, parent)
    for (const child of node.children ?? []) go(child, node)
  }
  go(tree as AnyNode, undefined)
}
