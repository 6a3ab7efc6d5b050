// /.well-known/jwks.json — the issuer's public keys, for checking signed credentials offline.
import { jwks } from '~/modules/certificate/credential.server'

export async function loader() {
  return new Response(JSON.stringify(await jwks()), {
    headers: { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' },
  })
}
