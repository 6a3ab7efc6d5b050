// The issuer's signing key: made once in the database however many processes start at once, or
// read from ISSUER_KEY_FILE (its public half then published too); credentials signed with it
// verify against /.well-known/jwks.json's keys.
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureIssuerKey, jwks, signCredential, signingKey } from '~/modules/certificate/credential.server'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-issuer-'))

beforeAll(async () => {
  t = await openMigratedDatabase()
})
afterAll(async () => {
  await ensureIssuerKey(t.db.prisma) // leave the module on the database key
  await t.dispose()
  fs.rmSync(dir, { recursive: true, force: true })
})

const source = {
  id: '00000000-0000-4000-8000-000000000001',
  number: 'LC-2026-000001',
  code: 'abcdefghijklmnopqrstuvwxyz',
  userId: '00000000-0000-4000-8000-000000000002',
  holderName: 'Lò Văn Minh',
  courseTitle: 'Tin học cơ bản',
  courseVersion: '1.0',
  standardCodes: ['IU01'],
  issuedAt: new Date('2026-11-26T03:00:00Z'),
  expiresAt: null,
  course: { slug: 'tin-hoc-co-ban' },
}

describe('issuer key', () => {
  it('is created once, even when eight starts race for it, and kept across starts', async () => {
    const kids = await Promise.all(Array.from({ length: 8 }, () => ensureIssuerKey(t.db.prisma)))
    expect(new Set(kids).size).toBe(1)
    expect(await t.db.prisma.issuerKey.count()).toBe(1)
    expect(await ensureIssuerKey(t.db.prisma)).toBe(kids[0])
    const row = await t.db.prisma.issuerKey.findFirstOrThrow()
    expect(row.algorithm).toBe('EdDSA')
    expect(row.privateKey.length).toBeGreaterThan(40)
    expect(row.publicJwk).not.toHaveProperty('d')
  })

  it('comes from ISSUER_KEY_FILE when given: signs with it and publishes it beside the older key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const file = path.join(dir, 'issuer.pem')
    fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const kid = await ensureIssuerKey(t.db.prisma, { keyFile: file })
    expect((await signingKey(t.db.prisma)).kid).toBe(kid)
    const published = await jwks(t.db.prisma)
    expect(published.keys.map((k) => k.kid)).toContain(kid)
    expect(published.keys).toHaveLength(2)
    // The private half of a file key never enters the database.
    expect((await t.db.prisma.issuerKey.findUniqueOrThrow({ where: { kid } })).privateKey.length).toBe(0)
    const token = await signCredential(source, 'https://hoc.laocai.example', t.db.prisma)
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(published), { issuer: 'https://hoc.laocai.example/issuer' })
    expect(protectedHeader.kid).toBe(kid)
    expect(payload.exp).toBeUndefined() // a certificate without expiry
    expect(payload.jti).toBe('https://hoc.laocai.example/verify/abcdefghijklmnopqrstuvwxyz')
  })
})
