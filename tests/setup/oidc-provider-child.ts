// A real OpenID Connect provider (the oidc-provider package) in a process of its own, for
// tests/integration/oidc.test.ts. Its clock can be set off by some seconds, as a provider's server
// clock sometimes is: everything it issues (ID tokens included) is then dated by that clock.
// Run with tsx; the settings come as one JSON argument:
//   tsx tests/setup/oidc-provider-child.ts '{"port":3431,"clientId":"…","clientSecret":"…","redirectUri":"…","jwk":{…},"clockOffsetSeconds":0}'
// It prints one line, "ready", once it listens, and stops on SIGTERM.
import Provider, { type Configuration } from 'oidc-provider'

interface Settings {
  port: number
  clientId: string
  /** Unset: a public client (token_endpoint_auth_method none, PKCE only). */
  clientSecret?: string
  redirectUri: string
  /** The signing key (a private RSA JWK), the same for every start so the app's cached keys stay right. */
  jwk: Record<string, unknown>
  clockOffsetSeconds: number
}

const settings = JSON.parse(process.argv[2]!) as Settings

if (settings.clockOffsetSeconds !== 0) {
  const realNow = Date.now.bind(Date)
  Date.now = () => realNow() + settings.clockOffsetSeconds * 1000
}

/** The people this provider knows: the login name typed into its form is the account id. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  // A new person with a verified address nobody uses here yet.
  'vneid-001': { name: 'Lò Thị Hoa', email: 'lo.thi.hoa@dichvucong.example', email_verified: true },
  // The demo learner's address, verified by the provider: links to that account.
  'vneid-002': { name: 'Nguyễn Thị Hương', email: 'hocvien@banso.example', email_verified: true },
  // The demo teacher's address, NOT verified: must not link to that account.
  'vneid-003': { name: 'Kẻ Mạo Danh', email: 'giaovien@banso.example', email_verified: false },
  // No email, the name in parts (family name first in Vietnamese).
  'vneid-004': { family_name: 'Giàng', middle_name: 'A', given_name: 'Páo' },
  // Linked by an admin in the test.
  'vneid-005': { name: 'Vàng Thị Mai' },
}

const configuration: Configuration = {
  clients: [
    {
      client_id: settings.clientId,
      ...(settings.clientSecret ? { client_secret: settings.clientSecret } : { token_endpoint_auth_method: 'none' }),
      redirect_uris: [settings.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [settings.jwk] },
  pkce: { required: () => true },
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, IdToken: 3600, AccessToken: 600, AuthorizationCode: 60 },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'family_name', 'middle_name', 'given_name'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id]
    if (!claims) return undefined
    return { accountId: id, claims: () => ({ sub: id, ...claims }) }
  },
  // The development-only interactions: any password, the login name is the account.
  cookies: { keys: ['banso-test-cookie-key'] },
}

const provider = new Provider(`http://127.0.0.1:${settings.port}`, configuration)
// The provider's own errors (a replayed code, say) are answers to the app, not crashes of this process.
provider.on('server_error', (_ctx, error) => console.error('[oidc-provider] server_error', error))
const server = provider.listen(settings.port, '127.0.0.1')
server.once('listening', () => console.log('ready'))
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
