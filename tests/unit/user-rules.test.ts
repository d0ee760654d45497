import { describe, expect, it } from 'vitest'
import { decideUserChange, MAX_REMEMBERED_PER_USER, rememberDelivery, REMEMBER_DELIVERIES_MS, type UserEvent, type UserRecord } from '../../server/utils/user-rules'
import type { ClerkUser } from '../../shared/types/users'

const ID = 'user_2abc'
const user = (updatedAt: number, firstName = `v${updatedAt}`): ClerkUser => ({
  id: ID, object: 'user', first_name: firstName, created_at: 1000, updated_at: updatedAt,
})

const created: UserEvent = { type: 'user.created', data: user(1000) }
const updatedA: UserEvent = { type: 'user.updated', data: user(2000) }
const updatedB: UserEvent = { type: 'user.updated', data: user(3000) }
const deleted: UserEvent = { type: 'user.deleted', data: { id: ID, deleted: true }, timestamp: 4000 }

/** Feed events through the rules the way the store does, one at a time. */
function replay(events: UserEvent[]): UserRecord | null {
  let stored: UserRecord | null = null
  let seq = 0
  for (const event of events) {
    const decision = decideUserChange(stored, event)
    if (decision.apply) stored = { ...decision.next, seq: ++seq, deliveries: {} }
  }
  return stored
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [item, ...rest]))
}

describe('ordering rules', () => {
  it('every order of created, updated, updated, deleted ends deleted (tombstone)', () => {
    const orders = permutations([created, updatedA, updatedB, deleted])
    expect(orders).toHaveLength(24)
    for (const order of orders) {
      const end = replay(order)
      expect(end, order.map(e => e.type).join(' > ')).toMatchObject({ id: ID, deleted: true, data: null })
    }
  })

  it('every order of created, updated, updated ends with the newest copy', () => {
    for (const order of permutations([created, updatedA, updatedB])) {
      const end = replay(order)
      expect(end?.deleted).toBe(false)
      expect(end?.data).toEqual(user(3000))
      expect(end?.updatedAt).toBe(3000)
    }
  })

  it('applies a newer update and refuses an equal or older one', () => {
    const stored = replay([updatedA])!
    expect(decideUserChange(stored, updatedB).apply).toBe(true)
    expect(decideUserChange(stored, { type: 'user.updated', data: user(2000, 'same time, other name') })).toEqual({ apply: false, why: 'older_or_equal' })
    expect(decideUserChange(stored, created)).toEqual({ apply: false, why: 'older_or_equal' })
  })

  it('creates the user from an update that arrives before its create', () => {
    const decision = decideUserChange(null, updatedA)
    expect(decision).toMatchObject({ apply: true, next: { id: ID, data: user(2000), deleted: false } })
  })

  it('keeps a tombstone: a late create or update for a deleted user is ignored', () => {
    const tombstone = replay([created, deleted])!
    expect(decideUserChange(tombstone, updatedB)).toEqual({ apply: false, why: 'already_deleted' })
    expect(decideUserChange(tombstone, created)).toEqual({ apply: false, why: 'already_deleted' })
    expect(decideUserChange(tombstone, deleted)).toEqual({ apply: false, why: 'already_deleted' })
  })

  it('records a delete for a user never seen, so its late create is ignored', () => {
    const tombstone = replay([deleted])!
    expect(tombstone).toMatchObject({ deleted: true, deletedAt: 4000 })
    expect(decideUserChange(tombstone, created).apply).toBe(false)
  })
})

describe('remembered deliveries', () => {
  it('adds the new id and keeps the ones still within 8 days', () => {
    const now = 10 * REMEMBER_DELIVERIES_MS
    const known = {
      msg_old: { outcome: 'applied' as const, at: now - REMEMBER_DELIVERIES_MS - 1 },
      msg_recent: { outcome: 'stale' as const, at: now - 1000 },
    }
    expect(rememberDelivery(known, 'msg_new', { outcome: 'applied', at: now })).toEqual({
      msg_recent: { outcome: 'stale', at: now - 1000 },
      msg_new: { outcome: 'applied', at: now },
    })
    expect(known).toHaveProperty('msg_old') // the input is not changed
  })

  it('keeps at most a bounded number per user, dropping the oldest', () => {
    let known = {}
    for (let i = 0; i < MAX_REMEMBERED_PER_USER + 50; i++) known = rememberDelivery(known, `msg_${i}`, { outcome: 'applied', at: 1000 + i })
    const ids = Object.keys(known)
    expect(ids).toHaveLength(MAX_REMEMBERED_PER_USER)
    expect(ids).toContain(`msg_${MAX_REMEMBERED_PER_USER + 49}`)
    expect(ids).not.toContain('msg_49')
    expect(ids).toContain('msg_50')
  })
})
