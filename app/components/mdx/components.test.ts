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
