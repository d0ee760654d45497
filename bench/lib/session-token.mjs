// A Clerk-shaped session token the bench can mint itself, so the admin-only socket can be
// exercised without Clerk's servers: the server gets the public key as NUXT_CLERK_JWT_KEY and
// verifies networklessly (@clerk/backend verifyToken with jwtKey), the same check as production.

import { generateKeyPairSync, sign } from 'node:crypto'

export const BENCH_FRONTEND_API = 'example.clerk.accounts.dev'

/** Clerk publishable keys are `pk_test_` + base64 of the Frontend API host followed by `$`. */
export function publishableKeyFor(frontendApi = BENCH_FRONTEND_API) {
  return `pk_test_${Buffer.from(`${frontendApi}$`).toString('base64')}`
}

/** An RSA-2048 pair: `publicKeyPem` (SPKI, what the Clerk Dashboard shows as the JWT public key) and the private KeyObject. */
export function generateSessionKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), privateKey }
}

const base64url = value => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/**
 * An RS256 session JWT with the claims Clerk's verifyToken checks: sub, sid, iss, iat, nbf (5 s
 * of clock skew allowance), exp.
 * @param {import('node:crypto').KeyObject} privateKey
 * @param {{ sub: string, sid?: string, iss?: string, ttlSeconds?: number, now?: number }} claims `now` in seconds
 */
export function signSessionToken(privateKey, { sub, sid = 'sess_bench', iss = `https://${BENCH_FRONTEND_API}`, ttlSeconds = 3600, now = Math.floor(Date.now() / 1000) }) {
  const header = base64url({ alg: 'RS256', typ: 'JWT', kid: 'ins_bench' })
  const payload = base64url({ sub, sid, iss, iat: now, nbf: now - 5, exp: now + ttlSeconds })
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')
  return `${header}.${payload}.${signature}`
}
