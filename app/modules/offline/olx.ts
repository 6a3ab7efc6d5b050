// An Open edX course in OLX (Open Learning XML), as Studio's Tools → Import reads it from a
// .tar.gz: one folder holding course.xml → course/<run>.xml → chapter/ → sequential/ → vertical/
// → html/ and problem/ components, static/ files and policies/. Each lesson is a section
// (chapter) with one subsection and a unit for its text, plus a unit of its self-check questions;
// the course's bank questions, when asked for, form a section of their own; a last section holds
// the licence and the attribution. Pure functions: the files are handed in and returned.
//
// Questions become Open edX problems: single and true-false → multiplechoiceresponse, multiple →
// choiceresponse (partial credit "EDC" when the question scores partially), short-text →
// stringresponse (formulas as a case-insensitive regular expression, accent-free forms as extra
// answers), numeric → numericalresponse with the tolerance, matching → one dropdown
// (optionresponse) per left item. numeric-drawn (numbers drawn per attempt from a formula) has no
// OLX equivalent: it is left out with an XML comment saying so, and counted in `skipped`.
import { strToU8 } from 'fflate'
import type { LicenceId } from '~/modules/content/constants'
import type { Question } from '~/modules/content/questions.server'
import { foldVietnamese } from '~/modules/content/text'

export interface OlxLabels {
  lesson: string
  content: string
  selfCheck: string
  bank: string
  bankGeneral: string
  bankOf: string
  explanation: string
  trueLabel: string
  falseLabel: string
  unit: string
  decimalPoint: string
  licence: string
  licenceLead: string
  licenceLegal: string
  attribution: string
  skipped: string
}

export interface OlxLesson {
  slug: string
  title: string
  /** The lesson's HTML, its pictures and files already pointing at /static/<name>. */
  html: string
  selfCheck: Question[]
  attribution: string
}

export interface OlxCourse {
  slug: string
  title: string
  summary: string
  version: string
  licence: LicenceId
  licenceName: string
  licenceUrl: string
  /** The course's pass mark (per cent): Open edX's pass cut-off. */
  passMark: number
  lang: 'vi' | 'en'
}

export interface OlxInput {
  course: OlxCourse
  lessons: OlxLesson[]
  /** The course's bank questions to include, or none. */
  bank: Question[]
  /** static/<name> → bytes (names flat: Studio keeps assets in one list). */
  statics: Map<string, Uint8Array>
  labels: OlxLabels
}

/** The organisation part of the course key in Open edX (org+course+run). */
export const OLX_ORG = 'BanSo'
const START = '2026-01-01T00:00:00Z'

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const attr = (name: string, value: string | number) => ` ${name}="${xmlEscape(String(value))}"`
/** An XML comment's text: "--" may not appear in one. */
const comment = (text: string) => `<!-- ${text.replace(/-{2,}/g, '-')} -->`

/** The course run: its version with dots as underscores ("1.2.0" → "v1_2_0"). */
export function olxRun(version: string): string {
  return `v${version.replace(/\./g, '_')}`
}

/** Open edX's licence field: "creative-commons: ver=4.0 BY SA"; CC0 has no value there (null). */
export function olxLicence(licence: LicenceId): string | null {
  if (licence === 'CC-BY-4.0') return 'creative-commons: ver=4.0 BY'
  if (licence === 'CC-BY-SA-4.0') return 'creative-commons: ver=4.0 BY SA'
  return null
}

/** A regular expression (Python syntax, as Open edX matches it whole) for a formula answer. */
export function formulaRegex(accepted: string): string {
  const key = accepted.normalize('NFC').replace(/\s+/g, '').replace(/^=/, '').replace(/;/g, ',').toUpperCase()
  const esc = (ch: string) => (ch === ',' ? '[,;]' : /[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch)
  const name = /^([A-Z][A-Z0-9.]*)(?:\(\))?$/.exec(key)?.[1]
  const body = name !== undefined ? `${[...name].map(esc).join('')}(\\s*\\(.*\\))?` : [...key].map(esc).join('\\s*')
  return `\\s*=?\\s*${body}\\s*`
}

const solution = (q: Question, labels: OlxLabels) =>
  `<solution><div class="detailed-solution"><p>${xmlEscape(labels.explanation)}</p><p>${xmlEscape(q.explanation)}</p></div></solution>`

/** A question as an Open edX problem, or null for a type OLX cannot express. */
export function problemXml(q: Question, labels: OlxLabels): string | null {
  const label = `<label>${xmlEscape(q.prompt)}</label>`
  const open = `<problem${attr('display_name', q.prompt.length > 60 ? `${q.prompt.slice(0, 57)}…` : q.prompt)}${attr('weight', q.points)}>`
  const body = (() => {
    switch (q.type) {
      case 'single':
      case 'true-false': {
        const options = q.type === 'single' ? q.options : [{ text: labels.trueLabel, correct: q.answer }, { text: labels.falseLabel, correct: !q.answer }]
        const choices = options.map((o) => `<choice${attr('correct', o.correct ? 'true' : 'false')}>${xmlEscape(o.text)}</choice>`).join('')
        return `<multiplechoiceresponse>${label}<choicegroup type="MultipleChoice">${choices}</choicegroup>${solution(q, labels)}</multiplechoiceresponse>`
      }
      case 'multiple': {
        const choices = q.options.map((o) => `<choice${attr('correct', o.correct ? 'true' : 'false')}>${xmlEscape(o.text)}</choice>`).join('')
        return `<choiceresponse${q.scoring === 'partial' ? attr('partial_credit', 'EDC') : ''}>${label}<checkboxgroup>${choices}</checkboxgroup>${solution(q, labels)}</choiceresponse>`
      }
      case 'short-text': {
        const answers = q.formula ? q.accept.map(formulaRegex) : [...new Set(q.ignoreAccents ? q.accept.flatMap((a) => [a, foldVietnamese(a)]) : q.accept)]
        const extra = answers.slice(1).map((a) => `<additional_answer${attr('answer', a)}/>`).join('')
        return `<stringresponse${attr('answer', answers[0]!)}${attr('type', q.formula ? 'ci regexp' : 'ci')}>${label}${extra}<textline size="40"/>${solution(q, labels)}</stringresponse>`
      }
      case 'numeric': {
        const unit = q.unit ? `<description>${xmlEscape(`${labels.unit}: ${q.unit}. ${labels.decimalPoint}`)}</description>` : `<description>${xmlEscape(labels.decimalPoint)}</description>`
        return `<numericalresponse${attr('answer', q.answer)}>${label}${unit}<responseparam type="tolerance"${attr('default', q.tolerance)}/><formulaequationinput/>${solution(q, labels)}</numericalresponse>`
      }
      case 'matching': {
        const rights = [...new Set(q.pairs.map((p) => p.right))].sort((a, b) => a.localeCompare(b, 'vi'))
        const dropdowns = q.pairs
          .map((p) => `<optionresponse><label>${xmlEscape(p.left)}</label><optioninput>${rights.map((r) => `<option${attr('correct', r === p.right ? 'True' : 'False')}>${xmlEscape(r)}</option>`).join('')}</optioninput></optionresponse>`)
          .join('')
        return `<p>${xmlEscape(q.prompt)}</p>${dropdowns}${solution(q, labels)}`
      }
      case 'numeric-drawn':
        return null
    }
  })()
  return body === null ? null : `${open}${body}</problem>\n`
}

/** Files of the course, in archive order, under `<root>/`. */
export function olxFiles(input: OlxInput, root: string): { files: [string, Uint8Array][]; problems: number; skipped: { id: string; type: string }[] } {
  const { course, lessons, bank, labels } = input
  const run = olxRun(course.version)
  const files: [string, Uint8Array][] = []
  const put = (name: string, text: string) => files.push([`${root}/${name}`, strToU8(text)])
  const xml = (name: string, body: string) => put(name, `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`)
  const licence = olxLicence(course.licence)
  const licenceAttr = licence ? attr('license', licence) : ''
  let problems = 0
  const skipped: { id: string; type: string }[] = []

  /** A unit of questions: each a problem file, those OLX cannot express a comment. */
  const questionUnit = (urlName: string, title: string, questions: Question[], prefix: string) => {
    const children = questions.map((q) => {
      const problem = problemXml(q, labels)
      if (problem === null) {
        skipped.push({ id: q.id, type: q.type })
        return comment(`${q.id} (${q.type}): ${labels.skipped}`)
      }
      problems++
      put(`problem/${prefix}${q.id}.xml`, problem)
      return `<problem${attr('url_name', `${prefix}${q.id}`)}/>`
    })
    xml(`vertical/${urlName}.xml`, `<vertical${attr('display_name', title)}>\n  ${children.join('\n  ')}\n</vertical>`)
  }

  const chapters: string[] = []
  lessons.forEach((lesson, i) => {
    const title = `${labels.lesson} ${i + 1}. ${lesson.title}`
    chapters.push(lesson.slug)
    xml(`chapter/${lesson.slug}.xml`, `<chapter${attr('display_name', title)}>\n  <sequential${attr('url_name', lesson.slug)}/>\n</chapter>`)
    const units = [`<vertical${attr('url_name', lesson.slug)}/>`]
    if (lesson.selfCheck.length) units.push(`<vertical${attr('url_name', `${lesson.slug}-tu-kiem-tra`)}/>`)
    xml(`sequential/${lesson.slug}.xml`, `<sequential${attr('display_name', lesson.title)}>\n  ${units.join('\n  ')}\n</sequential>`)
    xml(`vertical/${lesson.slug}.xml`, `<vertical${attr('display_name', lesson.title)}>\n  <html${attr('url_name', lesson.slug)}/>\n</vertical>`)
    xml(`html/${lesson.slug}.xml`, `<html${attr('filename', lesson.slug)}${attr('display_name', labels.content)}/>`)
    put(`html/${lesson.slug}.html`, `${lesson.html}\n<p class="banso-attribution"><small>${xmlEscape(labels.attribution)}: ${xmlEscape(lesson.attribution)}</small></p>\n`)
    if (lesson.selfCheck.length) questionUnit(`${lesson.slug}-tu-kiem-tra`, labels.selfCheck, lesson.selfCheck, 'tu-kiem-tra-')
  })

  if (bank.length) {
    const groups = new Map<string, Question[]>()
    const known = new Set(lessons.map((l) => l.slug))
    for (const q of bank) {
      const key = q.lesson && known.has(q.lesson) ? q.lesson : ''
      groups.set(key, [...(groups.get(key) ?? []), q])
    }
    const order = [...lessons.map((l) => l.slug).filter((s) => groups.has(s)), ...(groups.has('') ? [''] : [])]
    const units = order.map((slug) => {
      const urlName = slug ? `ngan-hang-${slug}` : 'ngan-hang-chung'
      const title = slug ? labels.bankOf.replace('{lesson}', lessons.find((l) => l.slug === slug)!.title) : labels.bankGeneral
      questionUnit(urlName, title, groups.get(slug)!, 'ngan-hang-')
      return `<vertical${attr('url_name', urlName)}/>`
    })
    chapters.push('ngan-hang-cau-hoi')
    xml('chapter/ngan-hang-cau-hoi.xml', `<chapter${attr('display_name', labels.bank)}>\n  <sequential url_name="ngan-hang-cau-hoi"/>\n</chapter>`)
    xml('sequential/ngan-hang-cau-hoi.xml', `<sequential${attr('display_name', labels.bank)}>\n  ${units.join('\n  ')}\n</sequential>`)
  }

  // The licence: a section of its own (learners see it), the course's licence field, and the list
  // of attributions, one per lesson.
  chapters.push('giay-phep')
  xml('chapter/giay-phep.xml', `<chapter${attr('display_name', labels.licence)}>\n  <sequential url_name="giay-phep"/>\n</chapter>`)
  xml('sequential/giay-phep.xml', `<sequential${attr('display_name', labels.licence)}>\n  <vertical url_name="giay-phep"/>\n</sequential>`)
  xml('vertical/giay-phep.xml', `<vertical${attr('display_name', labels.licence)}>\n  <html url_name="giay-phep"/>\n</vertical>`)
  xml('html/giay-phep.xml', `<html filename="giay-phep"${attr('display_name', labels.licence)}/>`)
  const licenceHtml = [
    `<p>${xmlEscape(labels.licenceLead.replace('{licence}', course.licenceName))}</p>`,
    `<ul>${lessons.map((l) => `<li>${xmlEscape(l.attribution)}</li>`).join('')}</ul>`,
    `<p>${xmlEscape(labels.licenceLegal)} <a href="${xmlEscape(course.licenceUrl)}">${xmlEscape(course.licenceName)}</a></p>`,
  ].join('\n')
  put('html/giay-phep.html', `${licenceHtml}\n`)

  put('course.xml', `<course${attr('url_name', run)}${attr('org', OLX_ORG)}${attr('course', course.slug)}/>\n`)
  xml(
    `course/${run}.xml`,
    `<course${attr('display_name', course.title)}${attr('language', course.lang)}${attr('start', START)}${licenceAttr}>\n  ${chapters.map((c) => `<chapter${attr('url_name', c)}/>`).join('\n  ')}\n</course>`,
  )
  put('about/overview.html', `<section class="about"><h2>${xmlEscape(course.title)}</h2><p>${xmlEscape(course.summary)}</p><p>${xmlEscape(labels.licenceLead.replace('{licence}', course.licenceName))} <a href="${xmlEscape(course.licenceUrl)}">${xmlEscape(course.licenceUrl)}</a></p></section>\n`)
  put('about/short_description.html', `${xmlEscape(course.summary)}\n`)
  put(`policies/${run}/policy.json`, `${JSON.stringify({ [`course/${run}`]: { display_name: course.title, language: course.lang, start: START, ...(licence ? { license: licence } : {}) } }, null, 2)}\n`)
  put(
    `policies/${run}/grading_policy.json`,
    `${JSON.stringify({ GRADER: [], GRADE_CUTOFFS: { Pass: course.passMark / 100 } }, null, 2)}\n`,
  )
  put('policies/assets.json', '{}\n')
  for (const [name, bytes] of [...input.statics].sort(([a], [b]) => a.localeCompare(b))) files.push([`${root}/static/${name}`, bytes])
  return { files, problems, skipped }
}
