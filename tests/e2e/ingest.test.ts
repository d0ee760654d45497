// POST /api/webhooks end to end against the production build: verification, shape, idempotency,
// ordering, durability and storage failure, each checked through the read API and the data dir.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_SEQ_HEADER, type ClerkUser } from '../../shared/types'
import { getUser, listDeliveries, listUsers, snapshot, storeFiles, usersSnapshot } from '../helpers/api'
import { deletedEvent, makeSigningSecret, makeUser, otherEvent, touchUser, userEvent } from '../helpers/clerk-events'
import { connectAdmin, type LiveClient } from '../helpers/realtime'
import { CLERK_UNCONFIGURED, startServer, type TestServer } from '../helpers/server'
import { nowSeconds } from '../helpers/session'
import { newSvixId, sendWebhook, svixHeaders, type SendOptions, type WebhookAnswer } from '../helpers/webhooks'

let server: TestServer
let live: LiveClient

beforeAll(async () => {
  server = await startServer()
  live = await connectAdmin(server.url)
})

afterAll(() => live?.close())

/** Files under one folder of the server's data dir. */
const storeFilesUnder = (folder: string) => storeFiles(join(server.storageBase!, folder), /^$/)

async function create(overrides: Record<string, unknown> = {}): Promise<ClerkUser> {
  const user = makeUser(overrides)
  const answer = await sendWebhook(server.url, userEvent('user.created', user))
  expect(answer, JSON.stringify(answer.body)).toMatchObject({ status: 200, body: { ok: true, outcome: 'applied' } })
  return user
}

describe('health', () => {
  it('GET /api/health answers 200 {status: ok}', async () => {
    const response = await fetch(`${server.url}/api/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })
})

describe('round trip', () => {
  it('a signed user.created is stored exactly as Clerk sent it in data', async () => {
    const user = makeUser()
    const answer = await sendWebhook(server.url, userEvent('user.created', user))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true, outcome: 'applied' })

    expect(await getUser(server.url, user.id)).toEqual(user)
    const list = await listUsers(server.url)
    expect(list.data.find(u => u.id === user.id)).toEqual(user)
    expect(list.totalCount).toBe(list.data.length)

    const [latest] = await listDeliveries(server.url)
    expect(latest).toMatchObject({ svixId: answer.id, type: 'user.created', userId: user.id, outcome: 'applied', status: 200, reason: null })
  })
})

describe('bad deliveries answer the right status and change nothing', () => {
  // The payload of each case would create a brand-new user if it were (wrongly) accepted.
  const fresh = () => userEvent('user.created', makeUser())
  const oversize = () => ({ ...fresh(), padding: 'x'.repeat(1024 * 1024 + 10) })
  const cases: Array<{ name: string, body: () => unknown, options?: SendOptions | (() => SendOptions), status: number, reason: string }> = [
    { name: 'no svix headers', body: fresh, options: { omit: ['svix-id', 'svix-timestamp', 'svix-signature'] }, status: 400, reason: 'missing_headers' },
    { name: 'no svix-signature', body: fresh, options: { omit: ['svix-signature'] }, status: 400, reason: 'missing_headers' },
    { name: 'no svix-id', body: fresh, options: { omit: ['svix-id'] }, status: 400, reason: 'missing_headers' },
    { name: 'no svix-timestamp', body: fresh, options: { omit: ['svix-timestamp'] }, status: 400, reason: 'missing_headers' },
    { name: 'malformed signature header', body: fresh, options: { headers: { 'svix-signature': 'not-a-signature' } }, status: 400, reason: 'malformed_headers' },
    { name: 'malformed timestamp header', body: fresh, options: { headers: { 'svix-timestamp': 'yesterday' } }, status: 400, reason: 'malformed_headers' },
    { name: 'svix-id over 256 characters', body: fresh, options: () => ({ id: `msg_${'x'.repeat(300)}` }), status: 400, reason: 'malformed_headers' },
    { name: 'bad signature', body: fresh, options: { tamper: 'signature' }, status: 400, reason: 'signature_mismatch' },
    { name: 'body changed after signing', body: fresh, options: { tamper: 'body' }, status: 400, reason: 'signature_mismatch' },
    { name: 'svix-id changed after signing', body: fresh, options: { tamper: 'id' }, status: 400, reason: 'signature_mismatch' },
    { name: 'signed with another secret', body: fresh, options: { secret: makeSigningSecret() }, status: 400, reason: 'signature_mismatch' },
    { name: 'timestamp 301 s old', body: fresh, options: () => ({ timestamp: nowSeconds() - 301 }), status: 400, reason: 'timestamp_out_of_tolerance' },
    { name: 'timestamp 301 s in the future', body: fresh, options: () => ({ timestamp: nowSeconds() + 301 }), status: 400, reason: 'timestamp_out_of_tolerance' },
    { name: 'validly signed, not JSON', body: () => 'user.created but not json {', status: 400, reason: 'invalid_json' },
    { name: 'validly signed, empty body', body: () => '', status: 400, reason: 'invalid_json' },
    { name: 'validly signed, no type', body: () => ({ object: 'event', data: makeUser() }), status: 400, reason: 'invalid_payload' },
    { name: 'validly signed, no data', body: () => ({ object: 'event', type: 'user.created' }), status: 400, reason: 'invalid_payload' },
    { name: 'validly signed, data is not an object', body: () => ({ type: 'user.created', data: 'user_1' }), status: 400, reason: 'invalid_payload' },
    { name: 'validly signed, JSON array', body: () => '[1,2,3]', status: 400, reason: 'invalid_payload' },
    { name: 'validly signed user.created without updated_at', body: () => userEvent('user.created', makeUser({ updated_at: undefined })), status: 400, reason: 'invalid_payload' },
    { name: 'validly signed user.deleted without id', body: () => ({ type: 'user.deleted', data: { deleted: true } }), status: 400, reason: 'invalid_payload' },
    { name: 'validly signed body over 1 MiB', body: oversize, status: 413, reason: 'payload_too_large' },
  ]

  it.each(cases)('$name -> $status $reason', async ({ body, options, status, reason }) => {
    const before = await snapshot(server)
    // Timestamps are computed when the case runs (the build before it takes minutes).
    const answer = await sendWebhook(server.url, body(), typeof options === 'function' ? options() : options)
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body).toMatchObject({ ok: false, outcome: 'rejected', reason })
    expect(typeof answer.body.message).toBe('string')
    expect(await snapshot(server)).toEqual(before)

    const [latest] = await listDeliveries(server.url)
    expect(latest).toMatchObject({ outcome: 'rejected', status, reason })
  })

  it('a chunked body over 1 MiB (no Content-Length) -> 413 and no change', async () => {
    const before = await snapshot(server)
    const payload = JSON.stringify({ ...fresh(), padding: 'y'.repeat(1024 * 1024 + 10) })
    const bytes = new TextEncoder().encode(payload)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024))
        controller.close()
      },
    })
    const response = await fetch(`${server.url}/api/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...svixHeaders(payload) },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ ok: false, reason: 'payload_too_large' })
    expect(await snapshot(server)).toEqual(before)
  })

  it('a body of exactly 1 MiB is not "too large"', async () => {
    const user = makeUser()
    const event = userEvent('user.created', user)
    const base = JSON.stringify({ ...event, padding: '' })
    const payload = JSON.stringify({ ...event, padding: 'z'.repeat(1024 * 1024 - Buffer.byteLength(base)) })
    expect(Buffer.byteLength(payload)).toBe(1024 * 1024)
    const answer = await sendWebhook(server.url, payload)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(await getUser(server.url, user.id)).toEqual(user)
  })

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s -> 405 with Allow: POST, no change', async (method) => {
    const before = await snapshot(server)
    const response = await fetch(`${server.url}/api/webhooks`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(fresh()),
    })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    expect(await snapshot(server)).toEqual(before)
  })
})

describe('idempotency', () => {
  it('a repeated svix-id answers 200 duplicate and changes nothing', async () => {
    const user = makeUser()
    const event = userEvent('user.created', user)
    const id = newSvixId()
    expect((await sendWebhook(server.url, event, { id })).body).toEqual({ ok: true, outcome: 'applied' })
    const before = await snapshot(server)
    const retry = await sendWebhook(server.url, event, { id })
    expect(retry.status).toBe(200)
    expect(retry.body).toEqual({ ok: true, outcome: 'duplicate' })
    expect(await snapshot(server)).toEqual(before)
  })

  it('a replay of an old svix-id carrying a newer body is still a duplicate', async () => {
    const user = await create()
    const id = newSvixId()
    const renamed = touchUser(user, { first_name: 'First' })
    await sendWebhook(server.url, userEvent('user.updated', renamed), { id })
    const replay = await sendWebhook(server.url, userEvent('user.updated', touchUser(renamed, { first_name: 'Second' })), { id })
    expect(replay.body).toEqual({ ok: true, outcome: 'duplicate' })
    expect((await getUser(server.url, user.id))?.first_name).toBe('First')
  })

  it('20 concurrent copies of one delivery apply exactly once and broadcast once', async () => {
    const user = makeUser()
    const payload = JSON.stringify(userEvent('user.created', user))
    const id = newSvixId()
    const before = (await listUsers(server.url)).totalCount
    const answers = await Promise.all(Array.from({ length: 20 }, () => sendWebhook(server.url, payload, { id })))
    const outcomes = answers.map(a => `${a.status} ${a.body.outcome}`)
    expect(outcomes.filter(o => o === '200 applied')).toHaveLength(1)
    expect(outcomes.filter(o => o === '200 duplicate')).toHaveLength(19)

    const after = await listUsers(server.url)
    expect(after.totalCount).toBe(before + 1)
    expect(after.data.filter(u => u.id === user.id)).toEqual([user])

    // A later change to another user is a fence: socket events arrive in order, so any extra
    // broadcast of the 20 copies would already be here.
    const fence = await create()
    await live.next('user.created', e => e.data.id === fence.id)
    expect(live.userEvents().filter(e => e.data.id === user.id)).toHaveLength(1)
  })
})

describe('ordering (deliveries arrive in any order)', () => {
  it('an update older than or equal to the stored copy is stale and changes nothing', async () => {
    const user = await create()
    const newer = touchUser(user, { now: user.updated_at + 2000, first_name: 'Newer' })
    expect((await sendWebhook(server.url, userEvent('user.updated', newer))).body.outcome).toBe('applied')

    const older = touchUser(user, { now: user.updated_at + 1000, first_name: 'Older' })
    const same = { ...newer, first_name: 'Same timestamp' }
    for (const stale of [older, same, user]) {
      const before = await usersSnapshot(server)
      const answer = await sendWebhook(server.url, userEvent('user.updated', stale))
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ ok: true, outcome: 'stale' })
      expect(await usersSnapshot(server)).toEqual(before)
    }
    expect(await getUser(server.url, user.id)).toEqual(newer)
  })

  it('a late user.created after a newer user.updated is stale', async () => {
    const user = await create()
    const updated = touchUser(user, { first_name: 'Updated' })
    await sendWebhook(server.url, userEvent('user.updated', updated))
    expect((await sendWebhook(server.url, userEvent('user.created', user))).body.outcome).toBe('stale')
    expect(await getUser(server.url, user.id)).toEqual(updated)
  })

  it('user.updated before user.created creates the user; the late create is stale', async () => {
    const user = makeUser()
    const updated = touchUser(user, { last_name: 'Updated-first' })
    const first = await sendWebhook(server.url, userEvent('user.updated', updated))
    expect(first.body).toEqual({ ok: true, outcome: 'applied' })
    expect(await getUser(server.url, user.id)).toEqual(updated)
    expect((await sendWebhook(server.url, userEvent('user.created', user))).body).toEqual({ ok: true, outcome: 'stale' })
    expect(await getUser(server.url, user.id)).toEqual(updated)
  })

  it('user.deleted removes the user and a later created/updated does not bring it back', async () => {
    const user = await create()
    const deleted = await sendWebhook(server.url, deletedEvent(user.id))
    expect(deleted.body).toEqual({ ok: true, outcome: 'applied' })
    expect(await getUser(server.url, user.id)).toBeNull()
    expect((await listUsers(server.url)).data.some(u => u.id === user.id)).toBe(false)

    const later = touchUser(user, { now: Date.now() + 60_000, first_name: 'Zombie' })
    for (const type of ['user.created', 'user.updated'] as const) {
      const before = await usersSnapshot(server)
      const answer = await sendWebhook(server.url, userEvent(type, later))
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ ok: true, outcome: 'stale' })
      expect(await usersSnapshot(server)).toEqual(before)
    }
    expect(await getUser(server.url, user.id)).toBeNull()
  })

  it('a delete that arrives before the create leaves no user behind', async () => {
    const user = makeUser()
    const deleted = await sendWebhook(server.url, deletedEvent(user.id))
    expect(deleted.status).toBe(200)
    expect(['applied', 'stale']).toContain(deleted.body.outcome)
    expect((await sendWebhook(server.url, userEvent('user.created', user))).body.outcome).toBe('stale')
    expect(await getUser(server.url, user.id)).toBeNull()
  })
})

describe('svix-ids are opaque', () => {
  it('ids that differ only in separator characters are different deliveries', async () => {
    const answers = []
    for (const id of ['msg:sep', 'msg/sep', 'msg_sep', 'msg.sep', 'msg..%2Fsep']) {
      answers.push(await sendWebhook(server.url, userEvent('user.created', makeUser()), { id }))
    }
    expect(answers.map(a => a.body.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied'])
    expect(Object.keys(storeFiles(join(server.storageBase!, '..'), /^data(\/|$)/))).toEqual([])
  })
})

describe('concurrent deliveries for different users', () => {
  it('50 at once all apply, each broadcast once with its own seq', async () => {
    const batch = Array.from({ length: 50 }, () => makeUser())
    const before = (await listUsers(server.url)).totalCount
    const answers = await Promise.all(batch.map(user => sendWebhook(server.url, userEvent('user.created', user))))
    expect(answers.map(a => `${a.status} ${a.body.outcome}`)).toEqual(batch.map(() => '200 applied'))
    expect((await listUsers(server.url)).totalCount).toBe(before + 50)
    const events = await Promise.all(batch.map(user => live.next('user.created', e => e.data.id === user.id)))
    expect(new Set(events.map(e => e.seq)).size).toBe(50)
    expect(live.userEvents().filter(e => batch.some(u => u.id === e.data.id))).toHaveLength(50)
  })

  // The admin page drops live events with seq <= the x-store-seq of its snapshot ("already in it"),
  // so a list read must include every change whose seq is <= the seq it reports.
  it(`a list read includes every change up to its ${STORE_SEQ_HEADER}, even while writes are in flight`, async () => {
    const batch = Array.from({ length: 60 }, () => makeUser())
    const reads: Array<{ seq: number, ids: Set<string> }> = []
    let sending = true
    const reader = (async () => {
      while (sending) {
        const list = await listUsers(server.url, 'limit=500')
        expect(list.totalCount).toBeLessThanOrEqual(500)
        reads.push({ seq: list.seq!, ids: new Set(list.data.map(u => u.id)) })
      }
    })()
    for (let i = 0; i < batch.length; i += 15) {
      await Promise.all(batch.slice(i, i + 15).map(user => sendWebhook(server.url, userEvent('user.created', user))))
    }
    sending = false
    await reader
    const events = await Promise.all(batch.map(user => live.next('user.created', e => e.data.id === user.id)))
    const missing = reads.flatMap(read => events
      .filter(e => e.seq <= read.seq && !read.ids.has(e.data.id))
      .map(e => `read at seq ${read.seq} lacks seq ${e.seq}`))
    expect(reads.length).toBeGreaterThan(0)
    expect(missing).toEqual([])
  })
})

describe('concurrent changes to one user', () => {
  it('updates racing in any order converge to the newest, and the last broadcast is the newest', async () => {
    const user = await create()
    const versions = Array.from({ length: 10 }, (_, k) => touchUser(user, { now: user.updated_at + (k + 1) * 1000, first_name: `V${k + 1}` }))
    const shuffled = [...versions].sort(() => Math.random() - 0.5)
    const answers = await Promise.all(shuffled.map(v => sendWebhook(server.url, userEvent('user.updated', v))))
    expect(answers.every(a => a.status === 200)).toBe(true)
    expect(answers.filter(a => a.body.outcome === 'applied').length).toBeGreaterThanOrEqual(1)
    const newest = versions[versions.length - 1]!
    expect(await getUser(server.url, user.id)).toEqual(newest)

    const fence = await create()
    await live.next('user.created', e => e.data.id === fence.id)
    const mine = live.userEvents().filter(e => e.data.id === user.id && e.type === 'user.updated')
    expect(mine).toHaveLength(answers.filter(a => a.body.outcome === 'applied').length)
    expect(mine.at(-1)?.data).toEqual(newest)
  })
})

describe('the delivery log', () => {
  it('keeps the last 1,000 deliveries: a flood of rejected requests never grows storage', async () => {
    const svixBefore = Object.keys(storeFilesUnder('v1/svix')).length
    const usersBefore = await usersSnapshot(server)
    const flood = Array.from({ length: 1100 }, () => userEvent('user.created', makeUser()))
    for (let i = 0; i < flood.length; i += 20) {
      const answers = await Promise.all(flood.slice(i, i + 20).map(e => sendWebhook(server.url, e, { tamper: 'signature' })))
      expect(answers.every(a => a.status === 400)).toBe(true)
    }
    const log = await listDeliveries(server.url)
    expect(log).toHaveLength(1000)
    expect(log.every(d => d.outcome === 'rejected' && d.reason === 'signature_mismatch')).toBe(true)
    expect(log.map(d => d.n)).toEqual([...log.map(d => d.n)].sort((a, b) => b - a))
    expect(Object.keys(storeFilesUnder('v1/log')).length).toBeLessThanOrEqual(1000)
    expect(Object.keys(storeFilesUnder('v1/svix')).length).toBe(svixBefore)
    expect(await usersSnapshot(server)).toEqual(usersBefore)
  })
})

describe('health', () => {
  it('answers 503 while storage is unusable, 200 again once it is back', async () => {
    const metaDir = join(server.storageBase!, 'v1', 'meta')
    const parked = `${metaDir}.parked`
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    renameSync(metaDir, parked)
    writeFileSync(metaDir, 'not a directory')
    let broken: Response
    try {
      broken = await fetch(`${server.url}/api/health`)
    }
    finally {
      rmSync(metaDir, { force: true })
      renameSync(parked, metaDir)
    }
    expect(broken.status).toBe(503)
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})

describe('other event types', () => {
  it.each(['session.created', 'session.ended', 'organization.created', 'email.created', 'some.future_type'])('%s -> 200 ignored, nothing stored', async (type) => {
    const before = await snapshot(server)
    const answer = await sendWebhook(server.url, otherEvent(type))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true, outcome: 'ignored' })
    expect((await snapshot(server)).users).toEqual(before.users)
    const [latest] = await listDeliveries(server.url)
    expect(latest).toMatchObject({ svixId: answer.id, type, outcome: 'ignored', status: 200 })
  })
})

describe('durability', () => {
  it('users and remembered svix-ids survive a restart', async () => {
    const user = makeUser()
    const event = userEvent('user.created', user)
    const id = newSvixId()
    await sendWebhook(server.url, event, { id })
    const before = await listUsers(server.url)

    live.close()
    await server.restart()
    live = await connectAdmin(server.url)

    const after = await listUsers(server.url)
    expect(after.totalCount).toBe(before.totalCount)
    expect(after.data).toEqual(before.data)
    expect(await getUser(server.url, user.id)).toEqual(user)
    // Idempotency is durable too: Svix's retry after a redeploy must not apply twice.
    expect((await sendWebhook(server.url, event, { id })).body).toEqual({ ok: true, outcome: 'duplicate' })
  })

  it('tombstones and the change counter survive a restart too', async () => {
    const user = await create()
    await sendWebhook(server.url, deletedEvent(user.id))
    const seqBefore = (await listUsers(server.url)).seq!
    await live.next('user.deleted', e => e.data.id === user.id)
    const lastSeqSeen = Math.max(...live.userEvents().map(e => e.seq))

    live.close()
    await server.restart()
    live = await connectAdmin(server.url)

    expect((await listUsers(server.url)).seq).toBeGreaterThanOrEqual(seqBefore)
    const late = await sendWebhook(server.url, userEvent('user.created', touchUser(user, { first_name: 'Zombie' })))
    expect(late.body).toEqual({ ok: true, outcome: 'stale' })
    expect(await getUser(server.url, user.id)).toBeNull()
    // A client that remembers the last seq it saw must never see seq go backwards.
    const next = await create()
    expect((await live.next('user.created', e => e.data.id === next.id)).seq).toBeGreaterThan(lastSeqSeen)
  })

  it('storage failure answers 503 storage_unavailable, changes and broadcasts nothing; the retry applies', async () => {
    await create() // make sure the users directory exists
    const usersDir = join(server.storageBase!, 'v1', 'users')
    const parked = `${usersDir}.parked`
    const user = makeUser()
    const payload = JSON.stringify(userEvent('user.created', user))
    const id = newSvixId()
    const before = await snapshot(server)

    // Root ignores permissions, so break the store with a file where the directory should be: ENOTDIR.
    renameSync(usersDir, parked)
    writeFileSync(usersDir, 'not a directory')
    let failed: WebhookAnswer | undefined
    try {
      failed = await sendWebhook(server.url, payload, { id })
    }
    finally {
      rmSync(usersDir, { force: true })
      mkdirSync(join(server.storageBase!, 'v1'), { recursive: true })
      renameSync(parked, usersDir)
    }
    expect(failed!.status, JSON.stringify(failed!.body)).toBe(503)
    expect(failed!.body).toMatchObject({ ok: false, reason: 'storage_unavailable' })
    expect(await snapshot(server)).toEqual(before)
    expect(await getUser(server.url, user.id)).toBeNull()
    // The delivery record is emitted after any user event of the same request: none may precede it.
    const failure = await live.next('delivery', d => d.svixId === id)
    expect(failure).toMatchObject({ status: 503, reason: 'storage_unavailable' })
    expect(live.userEvents().filter(e => e.data.id === user.id)).toHaveLength(0)

    const retry = await sendWebhook(server.url, payload, { id })
    expect(retry.body).toEqual({ ok: true, outcome: 'applied' })
    expect(await getUser(server.url, user.id)).toEqual(user)
    await live.next('delivery', d => d.svixId === id && d.status === 200)
    expect(live.userEvents().filter(e => e.data.id === user.id).map(e => e.type)).toEqual(['user.created'])
  })
})

describe('configuration', () => {
  it('production with no signing secret answers 503 signing_secret_missing and stores nothing', async () => {
    const noSecret = await startServer({ env: { NUXT_CLERK_WEBHOOK_SIGNING_SECRET: undefined } })
    for (const options of [{}, { omit: ['svix-id', 'svix-timestamp', 'svix-signature'] }] as SendOptions[]) {
      const answer = await sendWebhook(noSecret.url, userEvent('user.created', makeUser()), options)
      expect(answer.status).toBe(503)
      expect(answer.body).toMatchObject({ ok: false, reason: 'signing_secret_missing' })
    }
    expect((await listUsers(noSecret.url)).totalCount).toBe(0)
    await noSecret.stop()
  })

  it('the webhook route works with Clerk unconfigured (it only needs the signing secret)', async () => {
    const bare = await startServer({ env: CLERK_UNCONFIGURED })
    const answer = await sendWebhook(bare.url, userEvent('user.created', makeUser()))
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true, outcome: 'applied' })
    await bare.stop()
  })

  it('several secrets (rotation): a delivery signed by either passes', async () => {
    const [oldSecret, newSecret] = [makeSigningSecret(), makeSigningSecret()]
    const rotating = await startServer({ env: { NUXT_CLERK_WEBHOOK_SIGNING_SECRET: `${oldSecret}, ${newSecret}` } })
    for (const secret of [oldSecret, newSecret]) {
      const answer = await sendWebhook(rotating.url, userEvent('user.created', makeUser()), { secret })
      expect(answer.body).toEqual({ ok: true, outcome: 'applied' })
    }
    expect((await sendWebhook(rotating.url, userEvent('user.created', makeUser()), { secret: makeSigningSecret() })).status).toBe(400)
    await rotating.stop()
  })
})
