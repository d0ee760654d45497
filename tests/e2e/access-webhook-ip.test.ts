/**
 * NUXT_WEBHOOK_ALLOWED_IPS against the production build: a webhook from outside the list is refused
 * with 403 ip_not_allowed before any verification; with NUXT_TRUST_PROXY=N the client is the address
 * N hops from the right of X-Forwarded-For, and without it X-Forwarded-For is ignored (anyone can send one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { makeUser, userEvent } from '../helpers/clerk-events'
import { sendWebhook } from '../helpers/webhooks'

const ALLOWED = '203.0.113.0/24, 2001:db8::/32'
let direct: TestServer
let behindProxy: TestServer

beforeAll(async () => {
  [direct, behindProxy] = await Promise.all([
    startServer({ env: { NUXT_WEBHOOK_ALLOWED_IPS: ALLOWED } }),
    startServer({ env: { NUXT_WEBHOOK_ALLOWED_IPS: ALLOWED, NUXT_TRUST_PROXY: '1' } }),
  ])
})

afterAll(async () => {
  await Promise.all([direct?.stop(), behindProxy?.stop()])
})

const deliver = (server: TestServer, headers: Record<string, string> = {}) =>
  sendWebhook(server.url, userEvent('user.created', makeUser()), { headers })

describe('NUXT_WEBHOOK_ALLOWED_IPS without a trusted proxy', () => {
  it('refuses the peer (127.0.0.1) even when X-Forwarded-For names an allowed address', async () => {
    const variants: Array<Record<string, string>> = [{}, { 'x-forwarded-for': '203.0.113.5' }]
    for (const headers of variants) {
      const answer = await deliver(direct, headers)
      expect(answer.status).toBe(403)
      expect(answer.body).toMatchObject({ ok: false, reason: 'ip_not_allowed' })
    }
  })

  it('refuses before verification: an unsigned request gets 403, not 400', async () => {
    const answer = await sendWebhook(direct.url, userEvent('user.created', makeUser()), { omit: ['svix-signature'] })
    expect(answer.status).toBe(403)
    expect(answer.body.reason).toBe('ip_not_allowed')
  })
})

describe('NUXT_WEBHOOK_ALLOWED_IPS with NUXT_TRUST_PROXY=1', () => {
  it.each([
    ['an allowed IPv4 client', '203.0.113.5', 200],
    ['an allowed IPv6 client', '2001:db8::42', 200],
    ['a client with a port, as some proxies write it', '203.0.113.77:50123', 200],
    ['a client outside the list', '198.51.100.1', 403],
    ['an allowed address spoofed left of the real client', '203.0.113.5, 198.51.100.1', 403],
    ['garbage', 'unknown', 403],
  ])('%s (X-Forwarded-For: %s) -> %d', async (_label, forwardedFor, status) => {
    const answer = await deliver(behindProxy, { 'x-forwarded-for': forwardedFor })
    expect(answer.status).toBe(status)
    if (status === 200) expect(answer.body).toMatchObject({ ok: true, outcome: 'applied' })
    else expect(answer.body).toMatchObject({ ok: false, reason: 'ip_not_allowed' })
  })

  it('a request that bypassed the proxy (no X-Forwarded-For) is judged by its peer', async () => {
    expect((await deliver(behindProxy)).status).toBe(403)
  })

  it('the allowlist does not touch the read API', async () => {
    const response = await fetch(`${behindProxy.url}/api/users`, { headers: { 'x-forwarded-for': '198.51.100.1' } })
    expect(response.status).toBe(401)
  })
})
