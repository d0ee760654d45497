// socket.io against the production build: what an admin socket receives for each kind of delivery.
// "No user event" is proven with a fence: socket.io keeps order, so once the event of a later applied
// change (or the delivery record of the same request, emitted last) is here, nothing earlier is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserChangeEvent } from '../../shared/types'
import { deletedEvent, makeUser, otherEvent, touchUser, userEvent } from '../helpers/clerk-events'
import { connectAdmin, refusedHandshake, type LiveClient } from '../helpers/realtime'
import { CLERK_UNCONFIGURED, startServer, type TestServer } from '../helpers/server'
import { sendWebhook } from '../helpers/webhooks'

let server: TestServer
let live: LiveClient

beforeAll(async () => {
  server = await startServer()
  live = await connectAdmin(server.url)
})

afterAll(() => live?.close())

const seqs = (events: UserChangeEvent[]) => events.map(e => e.seq)

describe('user events', () => {
  it('created, updated and deleted arrive as {type, data, seq} with seq increasing', async () => {
    const user = makeUser()
    const updated = touchUser(user, { first_name: 'Renamed' })

    const created = await sendWebhook(server.url, userEvent('user.created', user))
    expect(await live.next('user.created', e => e.data.id === user.id)).toEqual({ type: 'user.created', data: user, seq: expect.any(Number) })

    await sendWebhook(server.url, userEvent('user.updated', updated))
    expect(await live.next('user.updated', e => e.data.id === user.id)).toEqual({ type: 'user.updated', data: updated, seq: expect.any(Number) })

    await sendWebhook(server.url, deletedEvent(user.id))
    expect(await live.next('user.deleted', e => e.data.id === user.id)).toEqual({ type: 'user.deleted', data: { id: user.id, deleted: true }, seq: expect.any(Number) })

    const mine = live.userEvents().filter(e => e.data.id === user.id)
    expect(mine.map(e => e.type)).toEqual(['user.created', 'user.updated', 'user.deleted'])
    const [a, b, c] = seqs(mine)
    expect(a).toBeLessThan(b!)
    expect(b).toBeLessThan(c!)
    expect(created.status).toBe(200)
  })

  it('seq increases across users too, with every applied change', async () => {
    const users = [makeUser(), makeUser(), makeUser()]
    for (const user of users) await sendWebhook(server.url, userEvent('user.created', user))
    const events = await Promise.all(users.map(user => live.next('user.created', e => e.data.id === user.id)))
    const [first, second, third] = seqs(events)
    expect(second).toBeGreaterThan(first!)
    expect(third).toBeGreaterThan(second!)
  })

  it('every delivery, applied or not, is also emitted as a delivery record', async () => {
    const user = makeUser()
    const answer = await sendWebhook(server.url, userEvent('user.created', user))
    expect(await live.next('delivery', d => d.svixId === answer.id)).toMatchObject({
      svixId: answer.id, type: 'user.created', userId: user.id, outcome: 'applied', status: 200, reason: null,
    })
  })
})

describe('no user event for what changes nothing', () => {
  async function expectOnlyDelivery(send: () => Promise<{ id: string }>, outcome: string, userId: string) {
    const before = live.userEvents().length
    const { id } = await send()
    const record = await live.next('delivery', d => d.svixId === id && d.outcome === outcome)
    expect(record.outcome).toBe(outcome)
    // Fence: a later applied change; its event proves the socket is caught up.
    const fence = makeUser()
    await sendWebhook(server.url, userEvent('user.created', fence))
    await live.next('user.created', e => e.data.id === fence.id)
    const since = live.userEvents().slice(before)
    expect(since.filter(e => e.data.id === userId)).toEqual([])
    expect(since.map(e => e.data.id)).toEqual([fence.id])
  }

  it('duplicate', async () => {
    const user = makeUser()
    const event = userEvent('user.created', user)
    const first = await sendWebhook(server.url, event)
    await live.next('user.created', e => e.data.id === user.id)
    await expectOnlyDelivery(() => sendWebhook(server.url, event, { id: first.id }), 'duplicate', user.id)
  })

  it('stale', async () => {
    const user = makeUser()
    const newer = touchUser(user, { first_name: 'Newer' })
    await sendWebhook(server.url, userEvent('user.updated', newer))
    await live.next('user.updated', e => e.data.id === user.id)
    await expectOnlyDelivery(() => sendWebhook(server.url, userEvent('user.created', user)), 'stale', user.id)
  })

  it('created after delete (tombstone)', async () => {
    const user = makeUser()
    await sendWebhook(server.url, userEvent('user.created', user))
    await sendWebhook(server.url, deletedEvent(user.id))
    await live.next('user.deleted', e => e.data.id === user.id)
    await expectOnlyDelivery(() => sendWebhook(server.url, userEvent('user.updated', touchUser(user))), 'stale', user.id)
  })

  it('rejected: bad signature', async () => {
    const user = makeUser()
    await expectOnlyDelivery(() => sendWebhook(server.url, userEvent('user.created', user), { tamper: 'signature' }), 'rejected', user.id)
  })

  it('rejected: invalid payload', async () => {
    const user = makeUser({ created_at: 'yesterday' })
    await expectOnlyDelivery(() => sendWebhook(server.url, userEvent('user.created', user)), 'rejected', user.id)
  })

  it('ignored type', async () => {
    const userId = makeUser().id
    await expectOnlyDelivery(() => sendWebhook(server.url, otherEvent('session.created', { userId })), 'ignored', userId)
  })
})

describe('transports and handshake', () => {
  it('long-polling works too', async () => {
    const polling = await connectAdmin(server.url, { transports: ['polling'] })
    expect(polling.socket.io.engine.transport.name).toBe('polling')
    const user = makeUser()
    await sendWebhook(server.url, userEvent('user.created', user))
    expect((await polling.next('user.created', e => e.data.id === user.id)).data).toEqual(user)
    polling.close()
  })

  it('polling upgrades to websocket by default', async () => {
    const upgraded = await connectAdmin(server.url, { transports: ['polling', 'websocket'] })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no upgrade to websocket')), 10_000)
      const check = () => {
        if (upgraded.socket.io.engine.transport.name === 'websocket') {
          clearTimeout(timer)
          resolve()
        }
        else setTimeout(check, 50)
      }
      check()
    })
    upgraded.close()
  })

  it('a handshake without a token is refused with connect_error 401', async () => {
    for (const transports of [['websocket'], ['polling']]) {
      const refusal = await refusedHandshake(server.url, { transports })
      expect(refusal.message).toMatch(/unauthorized/i)
      expect(refusal.data).toMatchObject({ statusCode: 401 })
    }
  })

  it('a refused socket receives nothing', async () => {
    // Sanity: refusedHandshake resolves on connect_error, never on connect.
    const refusal = await refusedHandshake(server.url, { auth: { token: 'not-a-jwt' } })
    expect(refusal.data?.statusCode).toBe(401)
  })

  it('production without Clerk keys refuses with "Clerk is not configured" (503)', async () => {
    const bare = await startServer({ env: CLERK_UNCONFIGURED })
    const refusal = await refusedHandshake(bare.url, { auth: {} })
    expect(refusal.message).toMatch(/clerk is not configured/i)
    expect(refusal.data).toMatchObject({ statusCode: 503 })
    await bare.stop()
  })
})
