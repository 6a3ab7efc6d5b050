import { describe, expect, it } from 'vitest'
import { tocSections } from './toc'

const h = (id: string, depth: 2 | 3) => ({ id, text: id, depth })

describe('tocSections', () => {
  it('puts each ### under its ## so only sections are numbered (lesson 17 showed 1, two sub-items, then 4)', () => {
    const sections = tocSections([h('a', 2), h('a1', 3), h('a2', 3), h('b', 2), h('c', 2), h('c1', 3)])
    expect(sections.map((s) => s.entry.id)).toEqual(['a', 'b', 'c'])
    expect(sections.map((s) => s.subsections.map((e) => e.id))).toEqual([['a1', 'a2'], [], ['c1']])
  })

  it('keeps a sub-heading that comes before any section', () => {
    expect(tocSections([h('x', 3), h('a', 2)]).map((s) => [s.entry.id, s.subsections.length])).toEqual([
      ['x', 0],
      ['a', 0],
    ])
  })
})
