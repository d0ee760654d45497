// Edge cases of server/utils/webhook-verify.ts (Clerk's verifyWebhook + secret rotation + clear reasons).
// Signatures come from the reference `standardwebhooks` signer, the scheme Svix implements.
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { verifyDelivery } from '../../server/utils/webhook-verify'

// The Standard Webhooks specification's published test vector (also Svix's).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`
const now = () => Math.floor(Date.now() / 1000)
const body = JSON.stringify({ type: 'user.created', object: 'event', data: { id: 'user_1', created_at: 1, updated_at: 2 }, timestamp: 2 })

function headersFor(secret: string, payload = body, { id = 'msg_1', timestamp = now() } = {}) {
  return {
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': new Webhook(secret).sign(id, new Date(timestamp * 1000), payload),
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('Standard Webhooks test vector', () => {
  function atVectorTime(offsetSeconds = 0) {
    // Only Date is faked: the verifier's promises must still run.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((VECTOR.timestamp + offsetSeconds) * 1000)
  }
  const vectorHeaders = (overrides: Record<string, string> = {}) => ({
    'svix-id': VECTOR.id,
    'svix-timestamp': String(VECTOR.timestamp),
    'svix-signature': VECTOR.signature,
    ...overrides,
  })

  it('our signer reproduces the published signature', () => {
    expect(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.payload)).toBe(VECTOR.signature)
  })

  it('accepts the vector at its own time', async () => {
    atVectorTime(10)
    const result = await verifyDelivery(VECTOR.payload, vectorHeaders(), [VECTOR.secret])
    expect(result.ok).toBe(true)
  })

  it('rejects the vector with one byte of the body changed', async () => {
    atVectorTime()
    const result = await verifyDelivery('{"test": 2432232315}', vectorHeaders(), [VECTOR.secret])
    expect(result).toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('rejects the vector signature under another svix-id or timestamp', async () => {
    atVectorTime()
    expect(await verifyDelivery(VECTOR.payload, vectorHeaders({ 'svix-id': 'msg_other' }), [VECTOR.secret]))
      .toMatchObject({ ok: false, reason: 'signature_mismatch' })
    expect(await verifyDelivery(VECTOR.payload, vectorHeaders({ 'svix-timestamp': String(VECTOR.timestamp + 1) }), [VECTOR.secret]))
      .toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('rejects the vector with another secret', async () => {
    atVectorTime()
    expect(await verifyDelivery(VECTOR.payload, vectorHeaders(), [newSecret()])).toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('rejects the vector today: its timestamp is years old', async () => {
    expect(await verifyDelivery(VECTOR.payload, vectorHeaders(), [VECTOR.secret]))
      .toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' })
  })
})

describe('a normal delivery', () => {
  it('passes and returns the event', async () => {
    const secret = newSecret()
    const result = await verifyDelivery(body, headersFor(secret), [secret])
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.event).toMatchObject({ type: 'user.created', data: { id: 'user_1' } })
  })
})

describe('secret rotation', () => {
  it('accepts a header with several signatures when only one (not the first) matches', async () => {
    const secret = newSecret()
    const real = headersFor(secret)
    const decoys = [newSecret(), newSecret()].map(s => headersFor(s)['svix-signature'])
    const header = [decoys[0], real['svix-signature'], decoys[1]].join(' ')
    expect((await verifyDelivery(body, { ...real, 'svix-signature': header }, [secret])).ok).toBe(true)
  })

  it('accepts when only the second configured secret matches', async () => {
    const [oldSecret, newOne] = [newSecret(), newSecret()]
    expect((await verifyDelivery(body, headersFor(newOne), [oldSecret, newOne])).ok).toBe(true)
  })

  it('accepts when only the first configured secret matches', async () => {
    const [oldSecret, newOne] = [newSecret(), newSecret()]
    expect((await verifyDelivery(body, headersFor(oldSecret), [oldSecret, newOne])).ok).toBe(true)
  })

  it('rejects decoys only: several signatures, several secrets, none matching', async () => {
    const headers = headersFor(newSecret())
    headers['svix-signature'] = `${headers['svix-signature']} ${headersFor(newSecret())['svix-signature']}`
    expect(await verifyDelivery(body, headers, [newSecret(), newSecret()])).toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('rejects when no secret is configured at all', async () => {
    const result = await verifyDelivery(body, headersFor(newSecret()), [])
    expect(result.ok).toBe(false)
  })
})

describe('timestamp tolerance (5 minutes either way)', () => {
  const secret = newSecret()
  it.each([-299, 299, -1, 0, 1])('%i s off passes', async (offset) => {
    expect((await verifyDelivery(body, headersFor(secret, body, { timestamp: now() + offset }), [secret])).ok).toBe(true)
  })
  it.each([-301, 301, -3600, 86_400])('%i s off is rejected', async (offset) => {
    expect(await verifyDelivery(body, headersFor(secret, body, { timestamp: now() + offset }), [secret]))
      .toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' })
  })
  it('an out-of-tolerance timestamp is rejected even with a matching second secret', async () => {
    const other = newSecret()
    expect(await verifyDelivery(body, headersFor(other, body, { timestamp: now() - 301 }), [secret, other]))
      .toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' })
  })
})

describe('headers', () => {
  const secret = newSecret()
  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('missing %s', async (name) => {
    const headers: Record<string, string | undefined> = headersFor(secret)
    delete headers[name]
    const result = await verifyDelivery(body, headers, [secret])
    expect(result).toMatchObject({ ok: false, reason: 'missing_headers' })
    if (!result.ok) expect(result.message).toContain(name)
  })

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('empty %s counts as missing', async (name) => {
    const result = await verifyDelivery(body, { ...headersFor(secret), [name]: '  ' }, [secret])
    expect(result).toMatchObject({ ok: false, reason: 'missing_headers' })
  })

  it('all three missing', async () => {
    expect(await verifyDelivery(body, {}, [secret])).toMatchObject({ ok: false, reason: 'missing_headers' })
  })

  it.each([
    ['not a signature', 'garbage'],
    ['no version', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['empty value', 'v1,'],
    ['comma separated list', 'v1,abc=,v1,def='],
  ])('malformed svix-signature: %s', async (_label, signature) => {
    expect(await verifyDelivery(body, { ...headersFor(secret), 'svix-signature': signature }, [secret]))
      .toMatchObject({ ok: false, reason: 'malformed_headers' })
  })

  it.each([['letters', 'abc'], ['milliseconds with a dot', '1614265330.5'], ['negative', '-5']])('malformed svix-timestamp: %s', async (_label, timestamp) => {
    expect(await verifyDelivery(body, { ...headersFor(secret), 'svix-timestamp': timestamp }, [secret]))
      .toMatchObject({ ok: false, reason: 'malformed_headers' })
  })

  it('a well-formed signature that is simply wrong is a mismatch, not malformed', async () => {
    expect(await verifyDelivery(body, { ...headersFor(secret), 'svix-signature': `v1,${randomBytes(32).toString('base64')}` }, [secret]))
      .toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('a signature under a different version prefix does not count', async () => {
    const headers = headersFor(secret)
    const v2 = headers['svix-signature'].replace(/^v1,/, 'v2,')
    const result = await verifyDelivery(body, { ...headers, 'svix-signature': v2 }, [secret])
    expect(result.ok).toBe(false)
  })
})

describe('body', () => {
  const secret = newSecret()
  it('validly signed but not JSON', async () => {
    const payload = 'this is not json'
    expect(await verifyDelivery(payload, headersFor(secret, payload), [secret])).toMatchObject({ ok: false, reason: 'invalid_json' })
  })

  it('validly signed but empty', async () => {
    expect(await verifyDelivery('', headersFor(secret, ''), [secret])).toMatchObject({ ok: false, reason: 'invalid_json' })
  })

  it('an unsigned body change (one field edited after signing) is a mismatch', async () => {
    const headers = headersFor(secret)
    expect(await verifyDelivery(body.replace('user_1', 'user_2'), headers, [secret])).toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })

  it('a bad signature is reported before bad JSON (nothing unsigned is parsed)', async () => {
    expect(await verifyDelivery('not json', headersFor(secret, 'other body'), [secret])).toMatchObject({ ok: false, reason: 'signature_mismatch' })
  })
})
