// Remix options, kept here and passed to the Remix Vite plugin by vite.config.ts
// (docs/decisions/001-remix-on-vite.md). This file is not read by the classic compiler.

/** @type {import('@remix-run/dev').VitePluginConfig} */
const config = {
  appDirectory: 'app',
  buildDirectory: 'build',
  serverModuleFormat: 'esm',
  // Route convention: flat routes in app/routes (Remix v2 default). Tests and server-only
  // helpers may sit beside routes without becoming routes.
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', '**/*.server.{ts,tsx}'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
}

export default config
