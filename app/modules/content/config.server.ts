// Where content lives and where its compiled form is kept. Two optional variables, checked with
// Zod like the rest of the environment (app/utils/env.server.ts), read only by this module.
import path from 'node:path'
import { z } from 'zod'

const ContentEnv = z.object({
  /** The folder with topics.yaml and courses/. */
  CONTENT_DIR: z.string().trim().min(1).default('content'),
  /** Compiled MDX and generated images, kept between starts. Safe to delete: it is rebuilt. */
  CONTENT_CACHE_DIR: z.string().trim().min(1).default('.cache/content'),
})

export interface ContentConfig {
  contentDir: string
  cacheDir: string
  /** Where generated images and published files are written, served under MEDIA_URL_PREFIX. */
  mediaDir: string
}

export const MEDIA_URL_PREFIX = '/media'

export function contentConfig(source: Record<string, string | undefined> = process.env, root = process.cwd()): ContentConfig {
  const env = ContentEnv.parse({ CONTENT_DIR: source.CONTENT_DIR || undefined, CONTENT_CACHE_DIR: source.CONTENT_CACHE_DIR || undefined })
  const cacheDir = path.resolve(root, env.CONTENT_CACHE_DIR)
  return { contentDir: path.resolve(root, env.CONTENT_DIR), cacheDir, mediaDir: path.join(cacheDir, 'media') }
}
