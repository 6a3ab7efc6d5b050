import path from 'node:path'
import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  resolve: { alias: { '~': path.resolve('app') } },
  plugins: [remix(remixConfig)],
  build: {
    // Inline nothing as data: URLs: assets stay cacheable files and the CSP stays simple.
    assetsInlineLimit: 0,
  },
  server: { port: 3000 },
})
