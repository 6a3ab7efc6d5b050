// The OLX builders on their own: problems are well-formed XML whatever the text holds, formula
// answers match as the site's grading does, licences map to Open edX's field, and the query of
// the export route refuses anything but lesson slugs and bank=0/1 with a domain error (never a 500).
import fc from 'fast-check'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import type { Question } from '~/modules/content/questions.server'
import { messagesFor } from '~/utils/i18n'
import { isAppError } from '~/utils/errors'
import { formulaRegex, olxLicence, problemXml, xmlEscape } from './olx'
import { parseOlxQuery } from './olx.server'

const labels = messagesFor('vi').offline.olx

function wellFormed(xml: string): void {
  const parser = new SaxesParser()
  parser.on('error', (e) => {
    throw e
  })
  parser.write(xml).close()
}

const base = { file: 'q.yaml', standards: [], points: 1, explanation: 'Vì & <vậy> "đó"' }

describe('problemXml', () => {
  it('is well-formed XML for any prompt, option and explanation text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (prompt, option, explanation) => {
        // Characters XML cannot hold (never in YAML content either) are out of the question.
        const clean = (s: string) => [...s].filter((ch) => { const c = ch.codePointAt(0)!; return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0xd800) || (c > 0xdfff && c < 0xfffe) }).join('')
        const q: Question = { ...base, id: 'q', type: 'single', prompt: clean(prompt) || 'x', explanation: clean(explanation) || 'x', options: [{ text: clean(option) || 'x', correct: true }, { text: 'b', correct: false }] }
        wellFormed(problemXml(q, labels)!)
      }),
    )
  })

  it('leaves out numeric-drawn (no OLX equivalent)', () => {
    expect(problemXml({ ...base, id: 'd', type: 'numeric-drawn', prompt: '{a}+1?', variables: { a: { min: 1, max: 9, step: 1 } }, answer: 'a+1', tolerance: 0, alsoAccept: [] }, labels)).toBeNull()
  })

  it('escapes the five XML specials in attributes and text', () => {
    expect(xmlEscape(`a & <b> "c"`)).toBe('a &amp; &lt;b&gt; &quot;c&quot;')
  })
})

describe('formulaRegex', () => {
  const matches = (accepted: string, typed: string) => new RegExp(`^(?:${formulaRegex(accepted)})$`, 'i').test(typed)
  it('takes what the site takes: optional =, spaces, case, ; for ,', () => {
    expect(matches('=IF(A1>5,"Đạt","Chưa")', 'if(a1>5;"đạt";"chưa")')).toBe(true)
    expect(matches('=IF(A1>5,"Đạt","Chưa")', '=IF(A1>6,"Đạt","Chưa")')).toBe(false)
    expect(matches('AVERAGE', '=AVERAGE(D2:D6)')).toBe(true)
    expect(matches('AVERAGE', 'AVERAGEX(D2)')).toBe(false)
    expect(matches('=A1*B1+1', 'a1 * b1 + 1')).toBe(true)
    expect(matches('=A1*B1+1', 'a1b1+1')).toBe(false)
  })
})

describe('olxLicence', () => {
  it('maps CC BY and CC BY-SA to the Open edX field; CC0 has none', () => {
    expect(olxLicence('CC-BY-4.0')).toBe('creative-commons: ver=4.0 BY')
    expect(olxLicence('CC-BY-SA-4.0')).toBe('creative-commons: ver=4.0 BY SA')
    expect(olxLicence('CC0-1.0')).toBeNull()
  })
})

describe('parseOlxQuery', () => {
  it('takes slugs, comma- or repeat-separated, and bank=0/1', () => {
    expect(parseOlxQuery(new URL('http://x/?lessons=a,b&lessons=c,a&bank=1'))).toEqual({ lessons: ['a', 'b', 'c'], bank: true })
    expect(parseOlxQuery(new URL('http://x/'))).toEqual({ lessons: [], bank: false })
  })

  it('answers any other query with a BAD_INPUT domain error, never another failure', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('lessons', 'bank', 'x'), fc.string())), (pairs) => {
        const url = new URL('http://x/')
        for (const [k, v] of pairs) url.searchParams.append(k, v)
        try {
          parseOlxQuery(url)
        } catch (error) {
          expect(isAppError(error) && error.status === 400).toBe(true)
        }
      }),
    )
  })
})
