// Any address no other route claims: a 404 in the app's own layout and language.
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }

export async function loader() {
  throw new Response('Not Found', { status: 404 })
}

export default function NotFound() {
  return <GeneralErrorBoundary />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
