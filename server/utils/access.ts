import { verifyToken } from '@clerk/backend'
import type { H3Event } from 'h3'
import {
  adminVia,
  clerkErrorReason,
  clerkErrorStatus,
  clerkKeysProblem,
  findSessionToken,
  normalizeJwtKey,
  parseAdminUserIds,
  sessionIsPending,
  type ClerkKeys,
} from './access-rules'
import { localRequestProblem, type HeaderBag } from './loopback'

/**
 * The ONE place that decides "who is this and are they an admin", for the read API, the deliveries
 * API, the socket handshake and the admin page. Modes:
 *  - local (`nuxt dev` without a publishable key; `import.meta.dev` is false in every build): loopback only;
 *  - Clerk not configured (a build, or dev with a key but no secret/JWT key): 503, fail closed;
 *  - Clerk: the session token, verified by @clerk/backend, then the allowlist or the role claim.
 */

export interface AdminIdentity {
  userId: string | null
  via: 'local' | 'allowlist' | 'role'
}

export type AccessStatus = 401 | 403 | 503

/** A refusal with a message that is safe to send to anyone (no token, key or stack). */
export class AccessError extends Error {
  readonly statusCode: AccessStatus
  constructor(statusCode: AccessStatus, message: string) {
    super(message)
    this.name = 'AccessError'
    this.statusCode = statusCode
  }
}

export interface AccessRequest {
  headers: HeaderBag
  remoteAddress?: string | null
  /** A token handed over outside the headers (socket.io `auth.token`); wins over header and cookie. */
  token?: string | null
}

export const ACCESS_MESSAGES = {
  localOnly: 'Local mode only answers loopback requests',
  notConfigured: 'Clerk is not configured',
  unavailable: 'Clerk session verification is unavailable',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden: not an admin',
} as const

const STATUS_TEXT: Record<AccessStatus, string> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }

function readClerkKeys(): ClerkKeys {
  const config = useRuntimeConfig()
  return {
    publishableKey: String(config.public?.clerk?.publishableKey ?? '').trim(),
    secretKey: String(config.clerk?.secretKey ?? '').trim(),
    jwtKey: String(config.clerk?.jwtKey ?? '').trim(),
  }
}

/** Local mode exists only in `nuxt dev` (statically false in a production build) and only without a key. */
export function isLocalAccessMode(): boolean {
  return import.meta.dev && !readClerkKeys().publishableKey
}

// Runtime config is fixed for the life of the process; parsing the PEM on every request is waste.
let problemCache: { keys: ClerkKeys, problem: string | null } | undefined
function keysProblem(keys: ClerkKeys): string | null {
  const cached = problemCache
  if (cached && cached.keys.publishableKey === keys.publishableKey && cached.keys.secretKey === keys.secretKey && cached.keys.jwtKey === keys.jwtKey) {
    return cached.problem
  }
  problemCache = { keys, problem: clerkKeysProblem(keys) }
  return problemCache.problem
}

/** One line for the startup log when the admin surfaces will answer 503, else null. Never contains a key. */
export function clerkConfigProblem(): string | null {
  if (isLocalAccessMode()) return null
  return keysProblem(readClerkKeys())
}

let adminIdsCache: { raw: unknown, ids: Set<string> } | undefined
function adminUserIds(): Set<string> {
  const raw = useRuntimeConfig().adminUserIds
  if (adminIdsCache?.raw !== raw) adminIdsCache = { raw, ids: parseAdminUserIds(raw) }
  return adminIdsCache.ids
}

let lastUnavailableLog = 0

async function verifySessionClaims(token: string, keys: ClerkKeys): Promise<Record<string, unknown>> {
  try {
    // jwtKey: networkless. Without it, @clerk/backend fetches (and caches) the JWKS with the secret key.
    const claims = keys.jwtKey
      ? await verifyToken(token, { jwtKey: normalizeJwtKey(keys.jwtKey) })
      : await verifyToken(token, { secretKey: keys.secretKey })
    return claims as unknown as Record<string, unknown>
  }
  catch (error) {
    const status = clerkErrorStatus(error)
    if (status === 503) {
      // Operators need to know Clerk could not be consulted (at most once a minute during an outage);
      // the reason code carries no secret.
      if (Date.now() - lastUnavailableLog > 60_000) {
        lastUnavailableLog = Date.now()
        console.warn(`[access] session verification unavailable (${clerkErrorReason(error)})`)
      }
      throw new AccessError(503, ACCESS_MESSAGES.unavailable)
    }
    throw new AccessError(401, ACCESS_MESSAGES.unauthorized)
  }
}

/** Who is this and are they an admin? Throws AccessError (401/403/503) otherwise. */
export async function authorizeAdmin(req: AccessRequest): Promise<AdminIdentity> {
  if (isLocalAccessMode()) {
    if (localRequestProblem(req)) throw new AccessError(403, ACCESS_MESSAGES.localOnly)
    return { userId: null, via: 'local' }
  }
  const keys = readClerkKeys()
  if (keysProblem(keys)) throw new AccessError(503, ACCESS_MESSAGES.notConfigured)

  const found = findSessionToken(req.headers, keys.publishableKey, req.token)
  if (!found.token) throw new AccessError(401, ACCESS_MESSAGES.unauthorized)
  const claims = await verifySessionClaims(found.token, keys)
  if (sessionIsPending(claims)) throw new AccessError(401, ACCESS_MESSAGES.unauthorized)

  const via = adminVia(claims, adminUserIds())
  if (!via) throw new AccessError(403, ACCESS_MESSAGES.forbidden)
  return { userId: String(claims.sub), via }
}

/** For routes and the page's server side: AccessError becomes a clean JSON/HTML error (no stack, no secret). */
export async function requireAdmin(event: H3Event): Promise<AdminIdentity> {
  const req = event.node.req
  try {
    const identity = await authorizeAdmin({ headers: req.headers, remoteAddress: req.socket?.remoteAddress })
    event.context.admin = identity
    return identity
  }
  catch (error) {
    if (!(error instanceof AccessError)) throw error
    if (error.statusCode === 401) setResponseHeader(event, 'WWW-Authenticate', 'Bearer')
    throw createError({
      statusCode: error.statusCode,
      statusMessage: STATUS_TEXT[error.statusCode],
      message: error.message,
      data: { statusCode: error.statusCode },
    })
  }
}
