import { createHash, createPublicKey } from 'node:crypto'
import { requestHeaderValues, type HeaderBag } from './loopback'

/**
 * Pure rules behind requireAdmin/authorizeAdmin (no Nitro imports): where the session token is,
 * who counts as an admin, how Clerk SDK errors map to status codes, what "configured" means.
 * Token *verification* is never done here: that is @clerk/backend's verifyToken, in access.ts.
 */

export interface ClerkKeys {
  publishableKey: string
  secretKey: string
  jwtKey: string
}

export interface PublishableKeyInfo {
  instanceType: 'development' | 'production'
  /** Frontend API host, e.g. `happy-hen-42.clerk.accounts.dev` or `clerk.example.com`. */
  frontendApi: string
}

/** `pk_test_` / `pk_live_` + base64('<frontend api host>$'), as Clerk issues them. */
export function parseClerkPublishableKey(key: string | null | undefined): PublishableKeyInfo | null {
  const match = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/.exec(String(key ?? '').trim())
  if (!match) return null
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8')
  if (!decoded.endsWith('$')) return null
  const host = decoded.slice(0, -1)
  // A hostname, nothing that could break out of a CSP source or a URL.
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(host)) return null
  return { instanceType: match[1] === 'test' ? 'development' : 'production', frontendApi: host.toLowerCase() }
}

/** People paste the PEM into .env with literal `\n`; Clerk's loader only strips real newlines. */
export function normalizeJwtKey(value: string | null | undefined): string {
  return String(value ?? '').trim().replace(/\\n/g, '\n')
}

/** What is wrong with the Clerk configuration outside local mode, or null. Never echoes a key. */
export function clerkKeysProblem(keys: ClerkKeys): string | null {
  const missing: string[] = []
  if (!keys.publishableKey) missing.push('NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY')
  if (!keys.secretKey && !keys.jwtKey) missing.push('NUXT_CLERK_SECRET_KEY (or NUXT_CLERK_JWT_KEY)')
  if (missing.length) {
    return `Clerk is not configured: set ${missing.join(' and ')}. Until then the admin page, the read API and the socket answer 503; webhooks still work.`
  }
  if (!parseClerkPublishableKey(keys.publishableKey)) {
    return 'Clerk is not configured: NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (pk_test_... or pk_live_...).'
  }
  if (keys.jwtKey) {
    // Clerk's networkless loader reads exactly an SPKI PEM of an RSA-2048 key (what the Dashboard shows).
    const pem = normalizeJwtKey(keys.jwtKey)
    let usable = false
    try {
      const key = createPublicKey(pem)
      usable = pem.includes('-----BEGIN PUBLIC KEY-----') && key.asymmetricKeyType === 'rsa'
        && key.asymmetricKeyDetails?.modulusLength === 2048
    }
    catch { /* not a key at all */ }
    if (!usable) {
      return 'Clerk is not configured: NUXT_CLERK_JWT_KEY is not the PEM public key from the Clerk Dashboard (API keys, "JWT public key").'
    }
  }
  return null
}

/** NUXT_ADMIN_USER_IDS: comma (or space) separated Clerk user ids. */
export function parseAdminUserIds(value: unknown): Set<string> {
  const items = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,]+/)
  return new Set(items.map(item => item.trim()).filter(Boolean))
}

/**
 * Admin by allowlist (the token's `sub`) or by role: the session token's custom claim
 * `"metadata": "{{user.public_metadata}}"` carrying `{"role": "admin"}`. Public metadata can only
 * be written by the backend or the Dashboard, so the user cannot grant it to themselves.
 */
export function adminVia(claims: Record<string, unknown>, adminUserIds: Set<string>): 'allowlist' | 'role' | null {
  if (typeof claims.sub === 'string' && adminUserIds.has(claims.sub)) return 'allowlist'
  const metadata = claims.metadata
  if (metadata && typeof metadata === 'object' && (metadata as Record<string, unknown>).role === 'admin') return 'role'
  return null
}

/** Clerk suffixes its cookies per instance (`__session_<8 chars>`): first 8 of base64url(sha1(pk)). */
export function clerkCookieSuffix(publishableKey: string): string {
  return createHash('sha1').update(publishableKey).digest('base64url').slice(0, 8)
}

export function parseCookieHeader(headers: HeaderBag): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const header of requestHeaderValues(headers, 'cookie')) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=')
      if (eq < 0) continue
      const name = part.slice(0, eq).trim()
      if (!name || cookies.has(name)) continue
      let value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
      try {
        value = decodeURIComponent(value)
      }
      catch { /* keep it raw: verifyToken will reject it */ }
      cookies.set(name, value)
    }
  }
  return cookies
}

export type TokenSource = 'explicit' | 'bearer' | 'cookie'
export type SessionTokenLookup = { token: string, source: TokenSource } | { token: null, reason: 'missing' | 'signed-out' }

/**
 * The session token, in Clerk's order: an explicit one (socket.io `auth.token`), then
 * `Authorization: Bearer`, then the `__session` cookie (the instance-suffixed one first, as Clerk
 * does). A cookie token counts only beside a non-zero `__client_uat`: clerk-js sets it to 0 on sign-out,
 * and a lone `__session` is what Clerk's own middleware refuses to trust without a handshake.
 */
export function findSessionToken(headers: HeaderBag, publishableKey: string, explicit?: string | null): SessionTokenLookup {
  if (explicit) return { token: explicit, source: 'explicit' }
  const authorization = requestHeaderValues(headers, 'authorization')[0]?.trim()
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    // A non-Bearer Authorization header is not a session token; do not fall back to cookies then.
    return match ? { token: match[1]!, source: 'bearer' } : { token: null, reason: 'missing' }
  }
  const cookies = parseCookieHeader(headers)
  const suffix = publishableKey ? clerkCookieSuffix(publishableKey) : ''
  const pick = (name: string) => (suffix && cookies.get(`${name}_${suffix}`)) || cookies.get(name) || ''
  const session = pick('__session')
  if (!session) return { token: null, reason: 'missing' }
  const clientUat = Number.parseInt(pick('__client_uat'), 10)
  if (!(clientUat > 0)) return { token: null, reason: 'signed-out' }
  return { token: session, source: 'cookie' }
}

/** Clerk session status claim: `pending` sessions (unfinished tasks) are signed out, as Clerk's own helpers treat them. */
export function sessionIsPending(claims: Record<string, unknown>): boolean {
  return claims.sts === 'pending'
}

/** Reasons that say "we could not check", not "this token is bad": the answer is 503, not 401. */
const UNAVAILABLE_REASONS = new Set([
  'jwk-remote-failed-to-load',
  'jwk-failed-to-resolve',
  'jwk-local-missing',
  'secret-key-invalid',
  'jwk-remote-invalid',
])

/**
 * Any error from verifyToken to a status. Every defect of the token itself comes back as Clerk's
 * TokenVerificationError with a `reason` (tested in tests/unit/access-rules.test.ts): 401. No reason
 * means the check itself failed (e.g. `fetch failed` loading the JWKS without a JWT key): 503, so an
 * outage never reads as "signed out".
 */
export function clerkErrorStatus(error: unknown): 401 | 503 {
  const reason = error && typeof error === 'object' ? (error as { reason?: unknown }).reason : undefined
  if (typeof reason !== 'string') return 503
  return UNAVAILABLE_REASONS.has(reason) ? 503 : 401
}

/** A short, safe label for logs: the Clerk reason code, never the token or a key. */
export function clerkErrorReason(error: unknown): string {
  const reason = error && typeof error === 'object' ? (error as { reason?: unknown }).reason : undefined
  if (typeof reason === 'string') return reason
  if (!(error instanceof Error)) return 'unknown'
  // e.g. "TypeError ENOTFOUND" for an unreachable Clerk API; a code, never a message that could echo input.
  const code = (error.cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? `${error.name} ${code}` : error.name
}
