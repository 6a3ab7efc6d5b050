// The framework's floor for `npm run bench` (bench/lesson.ts): a Remix resource route that does
// nothing but return a short string, behind the same Express stack as every page (headers, CSP,
// Origin check, gzip). It exists only when the server was started with BENCH_ROUTES=1; otherwise
// it answers 404 like any unknown address, so production has no stray endpoint.
export function loader() {
  if (process.env.BENCH_ROUTES !== '1') {
    throw new Response('404 — Không tìm thấy trang.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  return new Response('Bản Số', { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}
