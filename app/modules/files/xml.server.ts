// Streaming XML (SAX, saxes): events as the bytes arrive, nothing kept but what the handlers
// keep. No DOCTYPE (so no entity definitions, no "billion laughs"), a depth limit, names without
// their namespace prefix (x:row and row are the same element).
import { setImmediate as nextTurn } from 'node:timers/promises'
import { SaxesParser } from 'saxes'
import { AppError } from '~/utils/errors'
import type { UploadLimits } from './limits'
import { limitError } from './messages'

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void
  close?(name: string): void
  text?(text: string): void
}

const local = (name: string) => {
  const colon = name.indexOf(':')
  return colon < 0 ? name : name.slice(colon + 1)
}

/** Attribute by its local name (r:id → id) — but an unprefixed one first. */
export function attribute(attributes: Record<string, string>, name: string): string | undefined {
  if (attributes[name] !== undefined) return attributes[name]
  for (const key in attributes) if (local(key) === name && key.includes(':')) return attributes[key]
  return undefined
}

/** Parses the chunks as one XML document, calling the handlers; refuses a malformed one with `broken`. */
export async function parseXml(chunks: AsyncIterable<Uint8Array>, handlers: XmlHandlers, limits: UploadLimits, broken: () => AppError): Promise<void> {
  const parser = new SaxesParser({ position: false })
  const decoder = new TextDecoder('utf-8')
  let depth = 0
  parser.on('doctype', () => {
    throw new AppError('BAD_INPUT', 'upload.doctype')
  })
  parser.on('opentag', (tag) => {
    if (++depth > limits.maxXmlDepth) throw limitError('depth', limits)
    handlers.open?.(local(tag.name), tag.attributes as Record<string, string>)
  })
  parser.on('closetag', (tag) => {
    depth--
    handlers.close?.(local(tag.name))
  })
  if (handlers.text) {
    parser.on('text', handlers.text)
    parser.on('cdata', handlers.text)
  }
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.decode(chunk, { stream: true }))
      // Chunks already buffered would be parsed back to back (promise jobs, no I/O between):
      // give the event loop a turn after each, so other requests wait ~1 ms, not the whole file.
      await nextTurn()
    }
    parser.write(decoder.decode())
    parser.close()
  } catch (error) {
    if (error instanceof AppError) throw error
    throw broken()
  }
}
