// The signed credential: each certificate as an Open Badges 3.0 OpenBadgeCredential secured as a
// VC-JWT (OB 3.0 §8.2: the payload is the credential itself, plus the registered claims iss, jti,
// sub, nbf and exp), signed with the issuer's Ed25519 key (alg EdDSA). The public keys are
// published at /.well-known/jwks.json, so anyone can check a credential offline.
//
// The key pair is read from ISSUER_KEY_FILE when set (PKCS#8 PEM or a private JWK), else kept in
// the database: created at the first start (under an advisory lock, so two processes starting at
// once make one key), never replaced; retired keys stay published so old credentials still verify.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject, type JsonWebKey } from 'node:crypto'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import type { PrismaClient } from '@prisma/client'
import { prisma } from '~/utils/db.server'

export interface IssuerKey {
  kid: string
  privateKey: KeyObject
  publicJwk: JsonWebKey
}

/** RFC 7638 thumbprint of an OKP public key: the key's id. */
export function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })
  return createHash('sha256').update(canonical).digest('base64url')
}

function publicJwkOf(privateKey: KeyObject): JsonWebKey {
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' })
  return { kty, crv, x }
}

/** Reads a private Ed25519 key from a file: PKCS#8 PEM, or a JWK with "d". */
export function readKeyFile(file: string): IssuerKey {
  const raw = fs.readFileSync(file, 'utf8').trim()
  let privateKey: KeyObject
  try {
    privateKey = raw.startsWith('{') ? createPrivateKey({ key: JSON.parse(raw) as JsonWebKey, format: 'jwk' }) : createPrivateKey(raw)
  } catch (error) {
    throw new Error(`ISSUER_KEY_FILE ${file}: không đọc được khoá bí mật (${(error as Error).message})`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`ISSUER_KEY_FILE ${file}: khoá phải là Ed25519, không phải ${privateKey.asymmetricKeyType}`)
  const publicJwk = publicJwkOf(privateKey)
  return { kid: thumbprint(publicJwk), privateKey, publicJwk }
}

let fileKey: IssuerKey | undefined

/**
 * At start: makes sure there is a signing key. With ISSUER_KEY_FILE the key is read from the file
 * and its public half recorded in the database (so it is published); otherwise the first start
 * creates one in the database. Returns the key id.
 */
export async function ensureIssuerKey(db: PrismaClient, { keyFile }: { keyFile?: string } = {}): Promise<string> {
  // A start without a key file signs with the database's key, whatever an earlier start used.
  fileKey = undefined
  if (keyFile) {
    fileKey = readKeyFile(keyFile)
    const key = fileKey
    // Only the public half is kept in the database (the private bytes stay empty).
    await db.issuerKey.upsert({ where: { kid: key.kid }, create: { kid: key.kid, publicJwk: key.publicJwk as object, privateKey: new Uint8Array() }, update: {} })
    return key.kid
  }
  fileKey = undefined
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7007001)`
    const existing = await tx.issuerKey.findFirst({ where: { retiredAt: null, privateKey: { not: new Uint8Array() } }, orderBy: { createdAt: 'desc' }, select: { kid: true } })
    if (existing) return existing.kid
    const { privateKey } = generateKeyPairSync('ed25519')
    const publicJwk = publicJwkOf(privateKey)
    const kid = thumbprint(publicJwk)
    const der = privateKey.export({ format: 'der', type: 'pkcs8' })
    await tx.issuerKey.create({ data: { kid, publicJwk: publicJwk as object, privateKey: new Uint8Array(der) } })
    return kid
  })
}

/** The key that signs now: the file's, or the newest active one in the database. */
export async function signingKey(db: PrismaClient = prisma()): Promise<IssuerKey> {
  if (fileKey) return fileKey
  const active = () => db.issuerKey.findFirst({ where: { retiredAt: null, privateKey: { not: new Uint8Array() } }, orderBy: { createdAt: 'desc' } })
  // Start-up creates the key; a process that skipped boot (a test server, a CLI) creates it here.
  const row = (await active()) ?? (await ensureIssuerKey(db), await active())
  if (!row) throw new Error('Không tạo được khoá ký chứng chỉ.')
  const privateKey = createPrivateKey({ key: Buffer.from(row.privateKey), format: 'der', type: 'pkcs8' })
  return { kid: row.kid, privateKey, publicJwk: row.publicJwk as JsonWebKey }
}

/** Every published key, retired ones too (credentials they signed still verify). */
export async function jwks(db: PrismaClient = prisma()) {
  if (!fileKey && (await db.issuerKey.count()) === 0) await ensureIssuerKey(db)
  const rows = await db.issuerKey.findMany({ orderBy: { createdAt: 'asc' }, select: { kid: true, publicJwk: true } })
  return { keys: rows.map((r) => ({ ...(r.publicJwk as JsonWebKey), kid: r.kid, alg: 'EdDSA', use: 'sig' })) }
}

export const ISSUER_NAME = 'Bản Số — Học kỹ năng số Lào Cai'

export function issuerUrl(origin: string) {
  return `${origin}/issuer`
}

/** The issuer Profile (OB 3.0), served at /issuer: the `issuer.id` of every credential. */
export function issuerProfile(origin: string) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: issuerUrl(origin),
    type: ['Profile'],
    name: ISSUER_NAME,
    url: origin,
    description: 'Hệ thống học kỹ năng số cho cán bộ, giáo viên và người dân tỉnh Lào Cai. Khoá công khai: /.well-known/jwks.json',
  }
}

export interface CredentialSource {
  id: string
  number: string
  code: string
  userId: string
  holderName: string
  courseTitle: string
  courseVersion: string
  standardCodes: string[]
  issuedAt: Date
  expiresAt: Date | null
  course: { slug: string }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const seconds = (d: Date) => Math.floor(d.getTime() / 1000)

/** The credential as JSON (the JWT payload without its registered claims). */
export function credentialOf(c: CredentialSource, origin: string) {
  const verify = `${origin}/verify/${c.code}`
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: verify,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${c.courseTitle} — ${c.number}`,
    issuer: { id: issuerUrl(origin), type: ['Profile'], name: ISSUER_NAME, url: origin },
    validFrom: c.issuedAt.toISOString(),
    ...(c.expiresAt ? { validUntil: c.expiresAt.toISOString() } : {}),
    credentialSubject: {
      // An opaque id for the holder (no e-mail or phone leaves the system); the name is the one printed.
      id: `urn:uuid:${c.userId}`,
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: c.holderName }],
      achievement: {
        id: `${origin}/courses/${c.course.slug}#v${c.courseVersion}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: c.courseTitle,
        description: `Hoàn thành khoá học "${c.courseTitle}" (phiên bản ${c.courseVersion}) trên Bản Số.`,
        criteria: { narrative: 'Học xong mọi bài của khoá và đạt bài kiểm tra cuối khoá.' },
        ...(c.standardCodes.length
          ? { alignment: c.standardCodes.map((code) => ({ type: ['Alignment'], targetName: code, targetUrl: `${origin}/courses/${c.course.slug}`, targetFramework: 'Thông tư 03/2014/TT-BTTTT', targetCode: code })) }
          : {}),
      },
    },
  }
}

/** The compact JWS (VC-JWT) of a certificate, signed with the current key. */
export async function signCredential(c: CredentialSource, origin: string, db: PrismaClient = prisma()): Promise<string> {
  const key = await signingKey(db)
  const credential = credentialOf(c, origin)
  const header = { alg: 'EdDSA', typ: 'JWT', kid: key.kid }
  const payload = {
    ...credential,
    iss: credential.issuer.id,
    jti: credential.id,
    sub: credential.credentialSubject.id,
    nbf: seconds(c.issuedAt),
    ...(c.expiresAt ? { exp: seconds(c.expiresAt) } : {}),
  }
  const input = `${b64(header)}.${b64(payload)}`
  const signature = sign(null, Buffer.from(input), key.privateKey).toString('base64url')
  return `${input}.${signature}`
}
