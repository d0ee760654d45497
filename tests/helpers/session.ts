/**
 * Clerk-shaped session tokens, signed with the test key pair from tests/setup/global-e2e.ts.
 * The servers verify them with @clerk/backend against NUXT_CLERK_JWT_KEY (networkless), exactly
 * as they would verify a real Clerk session token.
 *
 *   signSessionToken({ sub: 'user_123' })                       valid for 10 minutes, non-admin
 *   signSessionToken({ sub: 'user_x', metadata: { role: 'admin' } })  admin by role claim
 *   signSessionToken({ sub: 'user_x', exp: past })              expired; also nbf/iat in the future
 *   signSessionToken({ sub: 'user_x', privateKey: otherKeyPem }) wrongly signed
 *   adminToken()                                                 NUXT_ADMIN_USER_IDS admin (user_admin)
 * Times are Unix seconds. `claims` adds or overrides any claim; `header` any header field.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto'
import { inject } from 'vitest'

export const CLERK_ISSUER = 'https://example.clerk.accounts.dev'
export const ADMIN_USER_ID = 'user_admin'

export interface SessionTokenOptions {
  sub: string
  /** PKCS#8 PEM; default: the key whose public half the servers trust. */
  privateKey?: string
  iat?: number
  nbf?: number
  exp?: number
  sid?: string
  azp?: string
  iss?: string
  /** Session-token custom claim, as in Clerk's role pattern `"metadata": "{{user.public_metadata}}"`. */
  metadata?: Record<string, unknown>
  claims?: Record<string, unknown>
  header?: Record<string, unknown>
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

export const nowSeconds = () => Math.floor(Date.now() / 1000)

export function signSessionToken(options: SessionTokenOptions): string {
  const now = nowSeconds()
  const header = { alg: 'RS256', typ: 'JWT', kid: 'ins_e2e_test_key', ...options.header }
  const payload: Record<string, unknown> = {
    azp: options.azp ?? 'http://127.0.0.1',
    exp: options.exp ?? now + 600,
    fva: [0, -1],
    iat: options.iat ?? now - 5,
    iss: options.iss ?? CLERK_ISSUER,
    nbf: options.nbf ?? now - 10,
    sid: options.sid ?? `sess_${randomBytes(12).toString('hex')}`,
    sts: 'active',
    sub: options.sub,
    v: 2,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    ...options.claims,
  }
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const signature = createSign('RSA-SHA256').update(signingInput).sign(options.privateKey ?? inject('clerkPrivateKeyPem'))
  return `${signingInput}.${base64url(signature)}`
}

/** A valid admin session token (allowlisted id); `lifetimeSeconds` for long browser sessions. */
export function adminToken(lifetimeSeconds = 600): string {
  return signSessionToken({ sub: ADMIN_USER_ID, exp: nowSeconds() + lifetimeSeconds })
}

/** A key pair the servers do NOT trust, for "wrongly signed" tokens. */
export function otherPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey
}
