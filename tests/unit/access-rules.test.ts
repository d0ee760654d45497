import { createSign, generateKeyPairSync } from 'node:crypto'
import { verifyToken } from '@clerk/backend'
import { describe, expect, it } from 'vitest'
import {
  adminVia,
  clerkCookieSuffix,
  clerkErrorStatus,
  clerkKeysProblem,
  findSessionToken,
  normalizeJwtKey,
  parseAdminUserIds,
  parseClerkPublishableKey,
  sessionIsPending,
} from '../../server/utils/access-rules'

const keyPair = () => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
})
const trusted = keyPair()
const PK = `pk_test_${Buffer.from('happy-hen-42.clerk.accounts.dev$').toString('base64')}`
const now = () => Math.floor(Date.now() / 1000)

function sign(claims: Record<string, unknown>, privateKey = trusted.privateKey): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'ins_unit' })}.${b64({ iat: now() - 5, nbf: now() - 10, exp: now() + 60, sid: 'sess_1', ...claims })}`
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`
}

describe('parseClerkPublishableKey', () => {
  it('decodes the Frontend API host and instance type', () => {
    expect(parseClerkPublishableKey(PK)).toEqual({ instanceType: 'development', frontendApi: 'happy-hen-42.clerk.accounts.dev' })
    const live = `pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`
    expect(parseClerkPublishableKey(live)).toEqual({ instanceType: 'production', frontendApi: 'clerk.example.com' })
  })
  it.each([
    '', 'pk_test_', 'sk_test_abc', `pk_test_${Buffer.from('no-dollar.example.com').toString('base64')}`,
    `pk_test_${Buffer.from('evil.com; script-src *$').toString('base64')}`, `pk_prod_${Buffer.from('a.b$').toString('base64')}`,
  ])('rejects %j', key => expect(parseClerkPublishableKey(key)).toBeNull())
})

describe('clerkKeysProblem', () => {
  const jwtKey = trusted.publicKey
  it('is null when a publishable key and a secret or JWT key are set', () => {
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: 'sk_test_x', jwtKey: '' })).toBeNull()
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: '', jwtKey })).toBeNull()
    // Pasted into .env on one line with literal \n
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: '', jwtKey: jwtKey.replace(/\n/g, '\\n') })).toBeNull()
  })
  it('names what is missing, never a value', () => {
    expect(clerkKeysProblem({ publishableKey: '', secretKey: '', jwtKey: '' })).toMatch(/NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY and NUXT_CLERK_SECRET_KEY/)
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: '', jwtKey: '' })).toMatch(/^Clerk is not configured: set NUXT_CLERK_SECRET_KEY/)
    const problem = clerkKeysProblem({ publishableKey: '', secretKey: 'sk_test_supersecret', jwtKey: '' })
    expect(problem).toMatch(/^Clerk is not configured/)
    expect(problem).not.toContain('supersecret')
  })
  it('refuses keys Clerk could not use', () => {
    expect(clerkKeysProblem({ publishableKey: 'pk_test_garbage', secretKey: 'sk', jwtKey: '' })).toMatch(/not a Clerk publishable key/)
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: '', jwtKey: 'not a pem' })).toMatch(/NUXT_CLERK_JWT_KEY/)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    expect(clerkKeysProblem({ publishableKey: PK, secretKey: '', jwtKey: ec.publicKey })).toMatch(/NUXT_CLERK_JWT_KEY/)
  })
})

describe('admin decision', () => {
  const ids = parseAdminUserIds(' user_a, user_b ,,user_c ')
  it('parses the allowlist', () => expect([...ids]).toEqual(['user_a', 'user_b', 'user_c']))
  it.each([
    [{ sub: 'user_b' }, 'allowlist'],
    [{ sub: 'user_z', metadata: { role: 'admin' } }, 'role'],
    [{ sub: 'user_a', metadata: { role: 'admin' } }, 'allowlist'],
    [{ sub: 'user_z' }, null],
    [{ sub: 'user_z', metadata: { role: 'Admin' } }, null],
    [{ sub: 'user_z', metadata: { role: ['admin'] } }, null],
    [{ sub: 'user_z', metadata: '{"role":"admin"}' }, null],
    [{ sub: 'user_z', role: 'admin' }, null],
    [{ sub: 'user_z', public_metadata: { role: 'admin' } }, null],
    [{ sub: 'user_z', metadata: { admin: true } }, null],
  ])('%j -> %s', (claims, via) => expect(adminVia(claims, ids)).toBe(via))
  it('an empty allowlist grants nothing', () => expect(adminVia({ sub: '' }, parseAdminUserIds(''))).toBeNull())
  it('pending sessions are signed out', () => {
    expect(sessionIsPending({ sts: 'pending' })).toBe(true)
    expect(sessionIsPending({ sts: 'active' })).toBe(false)
  })
})

describe('findSessionToken', () => {
  const suffix = clerkCookieSuffix(PK)
  it('computes Clerk\'s cookie suffix (8 chars of base64url sha1)', () => expect(suffix).toMatch(/^[\w-]{8}$/))
  it('prefers an explicit token, then Bearer, then the cookie', () => {
    const headers = { authorization: 'Bearer header.jwt.x', cookie: '__session=cookie.jwt.x; __client_uat=1700000000' }
    expect(findSessionToken(headers, PK, 'socket.jwt.x')).toEqual({ token: 'socket.jwt.x', source: 'explicit' })
    expect(findSessionToken(headers, PK)).toEqual({ token: 'header.jwt.x', source: 'bearer' })
    expect(findSessionToken({ cookie: headers.cookie }, PK)).toEqual({ token: 'cookie.jwt.x', source: 'cookie' })
  })
  it('prefers the instance-suffixed cookie', () => {
    const cookie = `__session=old.jwt.x; __session_${suffix}=new.jwt.x; __client_uat_${suffix}=1700000000`
    expect(findSessionToken({ cookie }, PK)).toEqual({ token: 'new.jwt.x', source: 'cookie' })
  })
  it('a cookie token needs a signed-in __client_uat', () => {
    expect(findSessionToken({ cookie: '__session=a.b.c' }, PK)).toEqual({ token: null, reason: 'signed-out' })
    expect(findSessionToken({ cookie: '__session=a.b.c; __client_uat=0' }, PK)).toEqual({ token: null, reason: 'signed-out' })
  })
  it.each([
    [{}],
    [{ authorization: 'Basic dXNlcjpwYXNz', cookie: '__session=a.b.c; __client_uat=1' }],
    [{ authorization: 'Bearer' }],
    [{ cookie: '__client_uat=1700000000' }],
  ])('no token in %j', headers => expect(findSessionToken(headers, PK).token).toBeNull())
})

describe('verifyToken (the real @clerk/backend) and clerkErrorStatus', () => {
  const jwtKey = normalizeJwtKey(trusted.publicKey)
  const verify = (token: string) => verifyToken(token, { jwtKey })

  it('accepts a valid token and returns its claims', async () => {
    const claims = await verify(sign({ sub: 'user_1', metadata: { role: 'admin' } }))
    expect(claims.sub).toBe('user_1')
    expect(adminVia(claims as unknown as Record<string, unknown>, new Set())).toBe('role')
  })

  it.each([
    ['expired', () => sign({ sub: 'u', exp: now() - 60 })],
    ['not active yet', () => sign({ sub: 'u', nbf: now() + 120 })],
    ['issued in the future', () => sign({ sub: 'u', iat: now() + 120 })],
    ['signed with another key', () => sign({ sub: 'u' }, keyPair().privateKey)],
    ['malformed', () => 'not-a-jwt'],
    ['alg none', () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"sub":"u","exp":${now() + 60}}`).toString('base64url')}.`],
    ['tampered payload', () => {
      const [h, , s] = sign({ sub: 'u' }).split('.')
      return `${h}.${Buffer.from(JSON.stringify({ sub: 'user_admin', exp: now() + 60, metadata: { role: 'admin' } })).toString('base64url')}.${s}`
    }],
    ['no sub', () => sign({})],
    ['empty', () => ''],
    ['not base64 JSON', () => 'ew.e30.x'],
    ['HS256 (symmetric) header', () => `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"sub":"u","exp":${now() + 60}}`).toString('base64url')}.x`],
    ['payload not an object', () => `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('null').toString('base64url')}.${'A'.repeat(342)}`],
    ['huge', () => 'x'.repeat(100_000)],
  ])('rejects %s with 401', async (_label, token) => {
    const error = await verify(token()).then(() => null, (e: unknown) => e)
    expect(error).toBeTruthy()
    expect(clerkErrorStatus(error)).toBe(401)
  })

  it('maps "Clerk could not be consulted" to 503', () => {
    expect(clerkErrorStatus({ reason: 'jwk-remote-failed-to-load' })).toBe(503)
    expect(clerkErrorStatus({ reason: 'secret-key-invalid' })).toBe(503)
    // No Clerk reason = the check itself failed (network while loading the JWKS), not the token.
    expect(clerkErrorStatus(new TypeError('fetch failed'))).toBe(503)
    expect(clerkErrorStatus(undefined)).toBe(503)
    expect(clerkErrorStatus({ reason: 'token-expired' })).toBe(401)
  })
})
