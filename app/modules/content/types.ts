// What the content pipeline hands the pages. Everything here is plain data that may travel in
// loader data: never a question's answer (those stay in questions.server.ts).
import type { AudienceId, LevelId, LicenceId } from './constants'
import type { QuestionType } from './schema'

/** One thing wrong in content/: where (file, line when known, field) and what, in plain words. */
export interface ContentProblem {
  /** Path relative to the project, e.g. content/courses/lam-quen/01-bat-dau/index.mdx */
  file: string
  line?: number
  field?: string
  message: string
}

export function formatProblem(p: ContentProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`
}

export interface TocEntry {
  id: string
  text: string
  depth: 2 | 3
}

/** A file beside a lesson as the page shows it: responsive image, SVG or download. */
export type RenderedAsset =
  | {
      kind: 'image'
      width: number
      height: number
      /** WebP variants, smallest first, e.g. 480w, 960w, 1440w (never wider than the original). */
      webp: { url: string; width: number }[]
      /** JPEG or PNG at the largest width, for browsers without WebP. */
      fallback: { url: string; type: 'image/jpeg' | 'image/png' }
    }
  | { kind: 'svg'; url: string; width?: number; height?: number }
  | { kind: 'file'; url: string; bytes: number; name: string }

/** Keyed by the reference as written in the MDX ("./so-do.svg"). */
export type AssetManifest = Record<string, RenderedAsset>

/** A check-yourself question as the learner sees it before answering: no answer in it. */
export interface PublicQuestion {
  id: string
  type: QuestionType
  prompt: string
  /** single, multiple: the choices. true-false: "true" and "false". */
  options?: { id: string; text: string }[]
  /** matching: the left items, and the right items to choose from (sorted, not paired). */
  left?: string[]
  right?: string[]
  unit?: string
}

export type Verdict = 'correct' | 'partial' | 'incorrect'

/** The server's answer to a check-yourself post. Only ever for the question that was answered. */
export interface CheckResult {
  questionId: string
  verdict: Verdict
  explanation: string
  /** The right answer, in words. */
  correctAnswer: string
  /** What the learner sent, to show it back (option ids, text, or right-hand choices). */
  response: string[]
}

export interface CourseCard {
  slug: string
  title: string
  summary: string
  audience: AudienceId[]
  topic: string
  level: LevelId
  estimatedHours: number
  standards: string[]
  lessonCount: number
  minutes: number
}

export interface LessonListItem {
  slug: string
  position: number
  title: string
  summary: string
  minutes: number
  standards: string[]
}

export interface CourseDetail extends CourseCard {
  passMark: number
  validityMonths: number | null
  licence: LicenceId
  authors: string[]
  version: string
  lessons: LessonListItem[]
}

/** The manifest key of a file as a component asks for it: shown as a picture, or offered as a file. */
export function assetKey(ref: string, use: 'picture' | 'file'): string {
  return `${use}:${ref.startsWith('./') ? ref : `./${ref}`}`
}
