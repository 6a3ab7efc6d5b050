// The HTML of packaged lessons: plain documents with relative links only, one stylesheet, no
// server. Shared by the offline pack (opened from file://) and the SCORM package (inside an LMS).
import type { Question } from '~/modules/content/questions.server'

export interface PackLabels {
  index: string
  previous: string
  next: string
  licence: string
  lessons: string
  minutes: string
  selfCheckTitle: string
  check: string
  right: string
  wrong: string
  empty: string
  trueLabel: string
  falseLabel: string
  answerIs: string
  offlineNote: string
  scormDone: string
  scormDoneStatus: string
  scormNoLms: string
  attribution: string
  licenceSummary: string
  licenceLegal: string
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

export const PACK_CSS = `body{font:18px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;margin:0;background:#fff}
main,header,footer,nav{max-width:46rem;margin:0 auto;padding:0 1rem}
header{border-bottom:3px solid #0b5d3b;padding-top:.75rem}
a{color:#0b5d3b}
img{max-width:100%;height:auto}
h1{line-height:1.25}
.muted{color:#555}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:2rem auto}
.callout{border-left:4px solid #0b5d3b;background:#f1f7f3;padding:.5rem 1rem;margin:1rem 0}
.callout-warning{border-color:#a15c00;background:#fff6e5}
.callout-title{font-weight:700;margin:0}
.key-term{border:1px solid #ccc;padding:.5rem 1rem}
.steps{padding-left:1.5rem}.step-title{font-weight:700}
.table-scroll{overflow-x:auto}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .6rem}
kbd{border:1px solid #999;border-radius:3px;padding:0 .3em;font-size:.9em}
.self-check{border:1px solid #0b5d3b;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.self-check fieldset{border:0;padding:0;margin:0}.self-check legend{font-weight:700}
.self-check ul{list-style:none;padding:0}.self-check li{margin:.3rem 0}
.self-check button,.scorm-complete{font:inherit;padding:.4rem 1rem;min-height:44px}
.self-check-result.right{color:#0b5d3b;font-weight:700}.self-check-result.wrong{color:#9b1c1c;font-weight:700}
footer{border-top:1px solid #ccc;margin-top:2rem;font-size:.9rem;color:#444}
@media print{.pager,.self-check button{display:none}}`

function shell({ title, body, lang, extraHead = '', scripts = [] }: { title: string; body: string; lang: string; extraHead?: string; scripts?: string[] }) {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="style.css">
${extraHead}</head>
<body>
${body}
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</body>
</html>
`
}

/** The questions as forms, and their answers as data for the page's script. */
export function selfCheckSection(questions: Question[], labels: PackLabels): string {
  if (!questions.length) return ''
  const answers: Record<string, { correct: string[]; answerText: string; explanation: string }> = {}
  const forms = questions.map((q, n) => {
    const name = `q${n + 1}`
    let options: { id: string; text: string }[]
    let correct: string[]
    if (q.type === 'true-false') {
      options = [
        { id: 'true', text: labels.trueLabel },
        { id: 'false', text: labels.falseLabel },
      ]
      correct = [String(q.answer)]
    } else if (q.type === 'single' || q.type === 'multiple') {
      options = q.options.map((o) => ({ id: o.id!, text: o.text }))
      correct = q.options.filter((o) => o.correct).map((o) => o.id!)
    } else {
      return '' // the loader admits only the three types above
    }
    answers[q.id] = { correct, answerText: `${labels.answerIs} ${options.filter((o) => correct.includes(o.id)).map((o) => o.text).join('; ')}.`, explanation: q.explanation }
    const type = q.type === 'multiple' ? 'checkbox' : 'radio'
    return `<form class="self-check" data-question="${escapeHtml(q.id)}" data-right="${escapeHtml(labels.right)}" data-wrong="${escapeHtml(labels.wrong)}" data-empty="${escapeHtml(labels.empty)}">
<fieldset><legend>${escapeHtml(q.prompt)}</legend>
<ul>${options.map((o) => `<li><label><input type="${type}" name="${name}" value="${escapeHtml(o.id)}"> ${escapeHtml(o.text)}</label></li>`).join('')}</ul>
</fieldset>
<button type="submit">${escapeHtml(labels.check)}</button>
<p class="self-check-result" role="status" aria-live="polite"></p>
</form>`
  })
  // "</" cannot end the JSON block early: < is escaped.
  const json = JSON.stringify(answers).replace(/</g, '\\u003c')
  return `<section aria-labelledby="self-check-title"><h2 id="self-check-title">${escapeHtml(labels.selfCheckTitle)}</h2>
${forms.join('\n')}
<script type="application/json" id="self-check-data">${json}</script>
</section>`
}

export interface PackLesson {
  slug: string
  title: string
  summary: string
  minutes: number
  /** The rendered MDX, links and images already relative. */
  html: string
  selfCheck: Question[]
  attribution: string
}

export interface PackCourse {
  slug: string
  title: string
  summary: string
  lang: string
  licenceName: string
  licenceUrl: string
}

export function lessonFile(slug: string): string {
  return `${slug}.html`
}

export function lessonPage({ course, lesson, previous, next, labels, mode }: { course: PackCourse; lesson: PackLesson; previous?: PackLesson; next?: PackLesson; labels: PackLabels; mode: 'offline' | 'scorm' }): string {
  const scorm = mode === 'scorm'
  // Inside an LMS the LMS moves between lessons (each is its own SCO): no links out of the page.
  const pager = scorm
    ? ''
    : `<nav class="pager" aria-label="${escapeHtml(labels.lessons)}">${previous ? `<a href="${lessonFile(previous.slug)}" rel="prev">${escapeHtml(labels.previous)}: ${escapeHtml(previous.title)}</a>` : '<span></span>'}<a href="index.html">${escapeHtml(labels.index)}</a>${next ? `<a href="${lessonFile(next.slug)}" rel="next">${escapeHtml(labels.next)}: ${escapeHtml(next.title)}</a>` : '<span></span>'}</nav>`
  const scormBlock = scorm
    ? `<p><button type="button" id="scorm-complete" class="scorm-complete">${escapeHtml(labels.scormDone)}</button></p>
<p id="scorm-status" role="status" data-done="${escapeHtml(labels.scormDoneStatus)}" data-no-lms="${escapeHtml(labels.scormNoLms)}"></p>`
    : ''
  const body = `<header><p>${scorm ? escapeHtml(course.title) : `<a href="index.html">${escapeHtml(course.title)}</a>`}</p></header>
<main>
<h1>${escapeHtml(lesson.title)}</h1>
<p class="muted">${escapeHtml(lesson.summary)} · ${escapeHtml(labels.minutes.replace('{n}', String(lesson.minutes)))}</p>
${lesson.html}
${selfCheckSection(lesson.selfCheck, labels)}
${scormBlock}
</main>
${pager}
<footer><p>${escapeHtml(lesson.attribution)}</p><p><a href="giay-phep.html">${escapeHtml(labels.licence)}</a></p></footer>`
  const scripts = [...(lesson.selfCheck.length ? ['self-check.js'] : []), ...(scorm ? ['scorm.js'] : [])]
  return shell({ title: `${lesson.title} — ${course.title}`, body, lang: course.lang, scripts })
}

export function indexPage({ course, lessons, labels }: { course: PackCourse; lessons: PackLesson[]; labels: PackLabels }): string {
  const body = `<header><p>Bản Số</p></header>
<main>
<h1>${escapeHtml(course.title)}</h1>
<p>${escapeHtml(course.summary)}</p>
<p class="muted">${escapeHtml(labels.offlineNote)}</p>
<h2>${escapeHtml(labels.lessons)}</h2>
<ol>${lessons.map((l) => `<li><a href="${lessonFile(l.slug)}">${escapeHtml(l.title)}</a> <span class="muted">(${escapeHtml(labels.minutes.replace('{n}', String(l.minutes)))})</span></li>`).join('\n')}</ol>
</main>
<footer><p><a href="giay-phep.html">${escapeHtml(labels.licence)}</a> — ${escapeHtml(course.licenceName)}</p></footer>`
  return shell({ title: course.title, body, lang: course.lang })
}

export function licencePage({ course, lessons, labels }: { course: PackCourse; lessons: PackLesson[]; labels: PackLabels }): string {
  const body = `<header><p><a href="index.html">${escapeHtml(course.title)}</a></p></header>
<main>
<h1>${escapeHtml(labels.licence)}: ${escapeHtml(course.licenceName)}</h1>
<p>${escapeHtml(labels.licenceSummary)}</p>
<p>${escapeHtml(labels.licenceLegal)} <a href="${escapeHtml(course.licenceUrl)}" rel="license">${escapeHtml(course.licenceUrl)}</a></p>
<h2>${escapeHtml(labels.attribution)}</h2>
<ul>${lessons.map((l) => `<li>${escapeHtml(l.attribution)}</li>`).join('\n')}</ul>
</main>`
  return shell({ title: `${labels.licence} — ${course.title}`, body, lang: course.lang })
}
