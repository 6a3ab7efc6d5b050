import { describe, expect, it } from 'vitest'
import { en } from '~/locales/en'
import { COMPONENT_NAMES } from '~/modules/content/mdx-check.server'
import { mdxComponents } from './index'

describe('the MDX component map', () => {
  it('renders exactly the components the validator accepts', () => {
    const map = mdxComponents({ m: en.content, locale: 'en', assets: {} })
    const custom = Object.keys(map).filter((name) => /^[A-Z]/.test(name))
    expect(custom.sort()).toEqual([...COMPONENT_NAMES].sort())
  })
})

describe('a self-check in a lesson', () => {
  it('is a landmark named by its title and its question, so two in one lesson are told apart (axe landmark-unique)', async () => {
    const { renderToStaticMarkup } = await import('react-dom/server')
    const { createElement } = await import('react')
    const { CheckYourself } = await import('./check-yourself')
    const q = (id: string, prompt: string) => ({ id, type: 'single' as const, prompt, options: [{ id: 'a', text: 'Có' }, { id: 'b', text: 'Không' }] })
    const html = ['mot', 'hai'].map((id, i) => renderToStaticMarkup(createElement(CheckYourself, { question: q(id, `Câu hỏi số ${i + 1}?`), action: '/x', state: {}, m: en.content, locale: 'en' }))).join('')
    const textOf = (id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]
    const names = [...html.matchAll(/<section[^>]*aria-labelledby="([^"]+)"/g)].map((match) => match[1]!.split(' ').map(textOf).join(' '))
    expect(names).toEqual([`${en.content.check.title} Câu hỏi số 1?`, `${en.content.check.title} Câu hỏi số 2?`])
  })
})
