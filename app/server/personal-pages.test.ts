// The personal template's own pieces (docs/decisions/030): parsing the marks, filling them, and the
// gzip body joined from deflated pieces and stored blocks, which any inflater must read back.
import { gunzipSync, createGunzip } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { endMark, ifMark, TEMPLATE_MARK, valueMark } from '~/utils/personal-template'
import { fillTemplate, gzipOf, parseTemplate, pieceOf } from './personal-pages'
import type { PersonalFacts } from '~/modules/personal/facts.server'

const facts = (over: Partial<PersonalFacts> = {}): PersonalFacts => ({
  userId: 'u',
  fullName: 'Lê <Ánh> & "Bình"',
  managesPeople: false,
  admin: false,
  unread: 0,
  courses: new Map([['k', { enrolled: true, completedAt: null, lessonsDone: ['b1'], lessonsTotal: 2 }]]),
  ...over,
})

describe('parseTemplate and fillTemplate', () => {
  it('fills values escaped as React writes them and keeps the branch a flag chooses', () => {
    const html = `${TEMPLATE_MARK}<p>${valueMark('fullName')}</p>${ifMark('done:k/b1')}<b>xong</b>${endMark('done:k/b1')}${ifMark('done:k/b2')}<i>chưa</i>${endMark('done:k/b2')}${ifMark('admin', true)}<s>nv</s>${endMark('admin', true)}`
    const template = parseTemplate(html)!
    expect(fillTemplate(template, facts(), 'vi')).toBe('<p>Lê &lt;Ánh&gt; &amp; &quot;Bình&quot;</p><b>xong</b><s>nv</s>')
    expect(fillTemplate(template, facts({ admin: true }), 'vi')).toBe('<p>Lê &lt;Ánh&gt; &amp; &quot;Bình&quot;</p><b>xong</b>')
  })

  it('refuses a template it cannot fill: no page mark, an unknown or unbalanced mark, two courses', () => {
    expect(parseTemplate(`<p>${valueMark('fullName')}</p>`)).toBeNull()
    expect(parseTemplate(`${TEMPLATE_MARK}${valueMark('password')}`)).toBeNull()
    expect(parseTemplate(`${TEMPLATE_MARK}${ifMark('admin')}<b>`)).toBeNull()
    expect(parseTemplate(`${TEMPLATE_MARK}${ifMark('admin')}${endMark('unread')}`)).toBeNull()
    expect(parseTemplate(`${TEMPLATE_MARK}${ifMark('done:a/x')}${endMark('done:a/x')}${ifMark('done:b/x')}${endMark('done:b/x')}`)).toBeNull()
    expect(parseTemplate(`${TEMPLATE_MARK}\uE000 stray`)).toBeNull()
    // Facts of another course than the template's: not filled (Remix answers instead).
    expect(fillTemplate(parseTemplate(`${TEMPLATE_MARK}${ifMark('enrolled:x')}${endMark('enrolled:x')}`)!, facts(), 'vi')).toBeNull()
  })
})

describe('gzipOf', () => {
  it('is one gzip member that gunzip (whole and streamed in small chunks) reads back as the pieces joined', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.string({ unit: 'binary', maxLength: 3000 })), { maxLength: 12 }), async (parts) => {
        const pieces = parts.map(([deflated, text]) => (deflated ? pieceOf(text) : Buffer.from(text, 'utf8')))
        const expected = parts.map(([, text]) => text).join('')
        const gz = gzipOf(pieces)
        expect(gunzipSync(gz).toString('utf8')).toBe(expected)
        const streamed = await new Promise<string>((resolve, reject) => {
          const chunks: Buffer[] = []
          const gunzip = createGunzip()
          gunzip.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject)
          for (let at = 0; at < gz.length; at += 7) gunzip.write(gz.subarray(at, at + 7))
          gunzip.end()
        })
        expect(streamed).toBe(expected)
      }),
      { numRuns: 60 },
    )
  })

  it('splits a value longer than a stored block can hold', () => {
    const long = Buffer.from('ạ'.repeat(70_000), 'utf8')
    expect(gunzipSync(gzipOf([pieceOf('<p>'), long, pieceOf('</p>')])).toString('utf8')).toBe(`<p>${'ạ'.repeat(70_000)}</p>`)
  })
})
