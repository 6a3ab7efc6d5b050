// /issuer — the issuer Profile (Open Badges 3.0) that every credential names as its issuer.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { issuerProfile } from '~/modules/certificate/credential.server'
import { publicOrigin } from '~/modules/certificate/origin.server'

export function loader({ request }: LoaderFunctionArgs) {
  return new Response(JSON.stringify(issuerProfile(publicOrigin(request)), null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' },
  })
}
