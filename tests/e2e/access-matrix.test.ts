/**
 * Issue 4's matrix against the production build: every token case × {Bearer, cookie} ×
 * {/api/users, /api/users/:id, /api/deliveries, socket handshake} gives exactly 401/403/200 (or
 * connect / connect_error). Clerk is configured networkless (NUXT_CLERK_JWT_KEY = the test key).
 * Every refused token names the allowlisted admin as `sub`, so the token's defect is the only reason.
 */
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { ADMIN_USER_ID, nowSeconds, otherPrivateKey, signSessionToken } from '../helpers/session'
import { makeUser, userEvent } from '../helpers/clerk-events'
import { sendWebhook } from '../helpers/webhooks'

type Expected = 200 | 401 | 403

interface TokenCase {
  name: string
  token: () => string | null
  expected: Expected
}

const otherKey = otherPrivateKey()

const TOKEN_CASES: TokenCase[] = [
  { name: 'no token', token: () => null, expected: 401 },
  {
    name: 'expired',
    token: () => signSessionToken({ sub: ADMIN_USER_ID, iat: nowSeconds() - 120, nbf: nowSeconds() - 130, exp: nowSeconds() - 60 }),
    expected: 401,
  },
  { name: 'future nbf', token: () => signSessionToken({ sub: ADMIN_USER_ID, nbf: nowSeconds() + 300 }), expected: 401 },
  { name: 'other key', token: () => signSessionToken({ sub: ADMIN_USER_ID, privateKey: otherKey }), expected: 401 },
  { name: 'malformed', token: () => `${signSessionToken({ sub: ADMIN_USER_ID }).slice(0, 40)}.garbage`, expected: 401 },
  { name: 'valid non-admin', token: () => signSessionToken({ sub: 'user_regular', metadata: { role: 'member' } }), expected: 403 },
  { name: 'admin by allowlist', token: () => signSessionToken({ sub: ADMIN_USER_ID }), expected: 200 },
  { name: 'admin by role claim', token: () => signSessionToken({ sub: 'user_role_admin', metadata: { role: 'admin' } }), expected: 200 },
]

type Carrier = 'bearer' | 'cookie'
const CARRIERS: Carrier[] = ['bearer', 'cookie']

/** How a browser carries the session: `__session` beside `__client_uat` (clerk-js sets both). */
function sessionCookie(token: string | null): string {
  const uat = `__client_uat=${nowSeconds() - 30}`
  return token ? `__session=${token}; ${uat}` : uat
}

function requestHeaders(carrier: Carrier, token: string | null): Record<string, string> {
  if (carrier === 'bearer') return token ? { authorization: `Bearer ${token}` } : {}
  return { cookie: sessionCookie(token) }
}

const MESSAGES: Record<401 | 403 | 503, string> = {
  401: 'Unauthorized',
  403: 'Forbidden: not an admin',
  503: 'Clerk is not configured',
}

interface HandshakeResult {
  connected: boolean
  message?: string
  statusCode?: number
}

/** One socket.io handshake; the token travels in `auth.token` (Bearer-like) or the cookie header. */
async function handshake(url: string, options: { token?: string | null, cookie?: string, transport?: 'websocket' | 'polling' }): Promise<HandshakeResult> {
  const socket = io(url, {
    path: '/socket.io/',
    transports: [options.transport ?? 'websocket'],
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  })
  try {
    return await new Promise<HandshakeResult>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }))
      socket.once('connect_error', (error: Error & { data?: { statusCode?: number } }) => {
        resolve({ connected: false, message: error.message, statusCode: error.data?.statusCode })
      })
    })
  }
  finally {
    socket.disconnect()
  }
}

let server: TestServer
let userId: string

beforeAll(async () => {
  server = await startServer()
  const user = makeUser()
  userId = user.id
  const delivered = await sendWebhook(server.url, userEvent('user.created', user))
  expect(delivered.status).toBe(200)
})

afterAll(async () => {
  await server?.stop()
})

const ENDPOINTS = [
  { name: 'GET /api/users', path: () => '/api/users', check: (body: Record<string, unknown>) => expect((body.data as unknown[]).some(u => (u as { id: string }).id === userId)).toBe(true) },
  { name: 'GET /api/users/:id', path: () => `/api/users/${userId}`, check: (body: Record<string, unknown>) => expect(body.id).toBe(userId) },
  { name: 'GET /api/deliveries', path: () => '/api/deliveries', check: (body: Record<string, unknown>) => expect(Array.isArray(body.data)).toBe(true) },
]

describe.each(ENDPOINTS)('$name', (endpoint) => {
  describe.each(CARRIERS)('token as %s', (carrier) => {
    it.each(TOKEN_CASES)('$name -> $expected', async ({ token, expected }) => {
      const response = await fetch(`${server.url}${endpoint.path()}`, { headers: requestHeaders(carrier, token()) })
      expect(response.status).toBe(expected)
      expect(response.headers.get('content-type')).toMatch(/application\/json/)
      const body = await response.json() as Record<string, unknown>
      if (expected === 200) return endpoint.check(body)
      // A clean JSON error: status, the safe message, no stack, no user data.
      expect(body).toMatchObject({ statusCode: expected, message: MESSAGES[expected] })
      expect(JSON.stringify(body)).not.toMatch(/stack|at .*\(|node_modules|user_regular|@example/)
      expect(body).not.toHaveProperty('data.data')
    })
  })
})

describe('socket handshake', () => {
  describe.each(CARRIERS)('token as %s', (carrier) => {
    it.each(TOKEN_CASES)('$name -> $expected', async ({ token, expected }) => {
      const value = token()
      const result = carrier === 'bearer'
        ? await handshake(server.url, { token: value })
        : await handshake(server.url, { cookie: sessionCookie(value) })
      if (expected === 200) return expect(result).toEqual({ connected: true })
      expect(result).toEqual({ connected: false, message: MESSAGES[expected], statusCode: expected })
    })
  })

  it('also refuses over long-polling (the first engine.io request carries the cookie)', async () => {
    const refused = await handshake(server.url, { cookie: sessionCookie(signSessionToken({ sub: 'user_regular' })), transport: 'polling' })
    expect(refused).toMatchObject({ connected: false, statusCode: 403 })
    const accepted = await handshake(server.url, { token: signSessionToken({ sub: ADMIN_USER_ID }), transport: 'polling' })
    expect(accepted).toEqual({ connected: true })
  })

  it('an admin who loses the role claim can no longer (re)connect', async () => {
    const sub = 'user_former_admin'
    expect(await handshake(server.url, { token: signSessionToken({ sub, metadata: { role: 'admin' } }) })).toEqual({ connected: true })
    // The next session token (minted after the public metadata changed) no longer carries the role.
    expect(await handshake(server.url, { token: signSessionToken({ sub, metadata: {} }) })).toMatchObject({ connected: false, statusCode: 403 })
  })
})

describe('cookie details', () => {
  it('a lone __session without __client_uat (or with 0, signed out) is not a session', async () => {
    const token = signSessionToken({ sub: ADMIN_USER_ID })
    for (const cookie of [`__session=${token}`, `__session=${token}; __client_uat=0`]) {
      const response = await fetch(`${server.url}/api/users`, { headers: { cookie } })
      expect(response.status).toBe(401)
    }
  })

  it('a pending session (unfinished session tasks) is treated as signed out, as Clerk does', async () => {
    const token = signSessionToken({ sub: ADMIN_USER_ID, claims: { sts: 'pending' } })
    const response = await fetch(`${server.url}/api/users`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(401)
  })
})
