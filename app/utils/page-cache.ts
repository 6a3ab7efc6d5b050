/**
 * A page's loader sets this response header to say "this document is the same for every anonymous
 * visitor with this language, until the content changes": app/server/page-cache.ts then keeps it.
 * The header never leaves the server (the cache strips it from every response).
 */
export const PAGE_CACHE_HEADER = 'X-Banso-Page-Cache'
export const PAGE_CACHE_ANONYMOUS = 'anonymous'
