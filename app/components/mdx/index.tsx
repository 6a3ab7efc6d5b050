// The one component map of lessons (content/README.md shows each in use). Components are plain
// server-rendered HTML: lesson pages ship no JavaScript.
import { getMDXComponent } from 'mdx-bundler/client/index.js'
import { useMemo, type ComponentProps, type ReactNode } from 'react'
import type { Messages } from '~/locales/types'
import { assetKey, type AssetManifest, type PublicQuestion, type RenderedAsset } from '~/modules/content/types'
import { format, type Locale } from '~/utils/i18n'
import { CheckYourself, type CheckState } from './check-yourself'

export interface MdxContext {
  m: Messages['content']
  locale: Locale
  assets: AssetManifest
  questions?: PublicQuestion[]
  /** Where check-yourself forms post (the lesson's own address). */
  action?: string
  check?: CheckState
}

const SIZES = '(min-width: 60rem) 56rem, 100vw'

function Picture({ asset, alt, className }: { asset: RenderedAsset | undefined; alt: string; className?: string }) {
  if (!asset || asset.kind === 'file') return null
  if (asset.kind === 'svg') {
    return <img className={className} src={asset.url} alt={alt} width={asset.width} height={asset.height} loading="lazy" decoding="async" />
  }
  return (
    <picture>
      <source type="image/webp" srcSet={asset.webp.map((v) => `${v.url} ${v.width}w`).join(', ')} sizes={SIZES} />
      <img className={className} src={asset.fallback.url} alt={alt} width={asset.width} height={asset.height} loading="lazy" decoding="async" />
    </picture>
  )
}

function fileSize(bytes: number, ctx: MdxContext): string {
  if (bytes < 1024 * 1024) return format(ctx.m.download.kb, { n: Math.max(1, Math.round(bytes / 1024)) }, ctx.locale)
  return format(ctx.m.download.mb, { n: Math.round((bytes / 1024 / 1024) * 10) / 10 }, ctx.locale)
}

export function mdxComponents(ctx: MdxContext) {
  const { m, assets } = ctx
  const picture = (src: string) => assets[assetKey(src, 'picture')]
  return {
    a: ({ href = '', children, ...rest }: ComponentProps<'a'>) => {
      if (href.startsWith('./')) {
        const file = assets[assetKey(href, 'file')]
        return <a href={file?.kind === 'file' ? file.url : href} download={file?.kind === 'file' ? file.name : undefined} {...rest}>{children}</a>
      }
      const external = /^https?:/.test(href)
      return <a href={href} rel={external ? 'noopener noreferrer' : undefined} {...rest}>{children}</a>
    },
    img: ({ src = '', alt = '' }: ComponentProps<'img'>) => <Picture asset={picture(src)} alt={alt} className="content-image" />,
    table: (props: ComponentProps<'table'>) => (
      <div className="table-scroll">
        <table {...props} />
      </div>
    ),
    Callout: ({ type = 'note', title, children }: { type?: 'note' | 'tip' | 'warning'; title?: string; children?: ReactNode }) => (
      <aside className={`callout callout-${type}`} aria-label={title ?? m.callout[type]}>
        <p className="callout-title">{title ?? m.callout[type]}</p>
        {children}
      </aside>
    ),
    Figure: ({ src, alt, caption }: { src: string; alt: string; caption?: string }) => (
      <figure className="figure">
        <Picture asset={picture(src)} alt={alt} />
        {caption ? <figcaption>{caption}</figcaption> : null}
      </figure>
    ),
    Steps: ({ children }: { children?: ReactNode }) => <ol className="steps">{children}</ol>,
    Step: ({ title, image, alt, children }: { title: string; image?: string; alt?: string; children?: ReactNode }) => (
      <li className="step">
        <p className="step-title">{title}</p>
        {children}
        {image ? <Picture asset={picture(image)} alt={alt ?? ''} className="step-image" /> : null}
      </li>
    ),
    KeyTerm: ({ term, children }: { term: string; children?: ReactNode }) => (
      <dl className="key-term">
        <dt>
          <span className="key-term-label">{m.keyTerm}: </span>
          <dfn>{term}</dfn>
        </dt>
        <dd>{children}</dd>
      </dl>
    ),
    Download: ({ file, title, children }: { file: string; title: string; children?: ReactNode }) => {
      const asset = assets[assetKey(file, 'file')]
      if (asset?.kind !== 'file') return null
      const ext = asset.name.split('.').pop()!.toUpperCase()
      return (
        <div className="download">
          <a href={asset.url} download={asset.name}>
            {m.download.label}: {title}
          </a>{' '}
          <span className="download-size">{`(${format(m.download.size, { size: fileSize(asset.bytes, ctx), ext }, ctx.locale)})`}</span>
          {children}
        </div>
      )
    },
    CheckYourself: ({ question }: { question: string }) => (
      <CheckYourself question={ctx.questions?.find((q) => q.id === question)} action={ctx.action ?? ''} state={ctx.check ?? {}} m={m} locale={ctx.locale} />
    ),
  }
}

// Evaluating compiled code is cheap but not free: keep each lesson's component for the process.
const evaluated = new Map<string, ReturnType<typeof getMDXComponent>>()
function componentFor(code: string) {
  let component = evaluated.get(code)
  if (!component) {
    if (evaluated.size >= 500) evaluated.clear()
    component = getMDXComponent(code)
    evaluated.set(code, component)
  }
  return component
}

/** Renders compiled MDX on the server (lesson pages ship no JavaScript to render it again). */
export function MdxContent({ code, context }: { code: string; context: MdxContext }) {
  const Component = useMemo(() => componentFor(code), [code])
  return <Component components={mdxComponents(context) as never} />
}
