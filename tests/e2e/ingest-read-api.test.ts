// GET /api/users and /api/users/:id on the production build, fed only through signed webhooks:
// search, every orderBy, paging, parameter errors, x-store-seq, and what deleted users look like.
import { beforeAll, describe, expect, it } from 'vitest'
import { STORE_SEQ_HEADER, USER_ORDER_FIELDS, type ClerkUser, type UserOrderField } from '../../shared/types'
import { adminFetch, getUser, listUsers } from '../helpers/api'
import { deletedEvent, makeUser, touchUser, userEvent } from '../helpers/clerk-events'
import { startServer, type TestServer } from '../helpers/server'
import { newSvixId, sendWebhook } from '../helpers/webhooks'

let server: TestServer

// Five users whose rank differs per field, so sorting by the wrong field can never look right.
const RANKS: Record<UserOrderField, number[]> = {
  created_at: [0, 1, 2, 3, 4],
  updated_at: [2, 0, 4, 1, 3],
  email_address: [3, 4, 0, 2, 1],
  first_name: [1, 3, 2, 4, 0],
  last_name: [4, 2, 1, 0, 3],
  last_sign_in_at: [0, 4, 3, 1, 2],
  last_active_at: [3, 1, 0, 4, 2],
}
const FIRST = ['Ann', 'Ben', 'Cat', 'Dan', 'Eve']
const LAST = ['Adams', 'Brown', 'Clark', 'Davis', 'Evans']
const T = Date.now() - 10 * 24 * 3600 * 1000

const users: ClerkUser[] = [0, 1, 2, 3, 4].map((i) => {
  const rank = (field: UserOrderField) => RANKS[field][i]!
  return makeUser({
    first_name: FIRST[rank('first_name')],
    last_name: LAST[rank('last_name')],
    email: `${'abcde'[rank('email_address')]}-mail-${i}@example.com`,
    created_at: T + rank('created_at') * 1000,
    updated_at: T + 10_000 + rank('updated_at') * 1000,
    last_sign_in_at: T + 20_000 + rank('last_sign_in_at') * 1000,
    last_active_at: T + 30_000 + rank('last_active_at') * 1000,
  })
})

const ids = (list: ClerkUser[]) => list.map(u => u.id)
const ascending = (field: UserOrderField) => [0, 1, 2, 3, 4].sort((a, b) => RANKS[field][a]! - RANKS[field][b]!).map(i => users[i]!.id)

beforeAll(async () => {
  server = await startServer()
  for (const user of users) {
    const answer = await sendWebhook(server.url, userEvent('user.created', user))
    expect(answer.body.outcome).toBe('applied')
  }
})

describe('list', () => {
  it('returns {data, totalCount} newest first by default', async () => {
    const { data, totalCount } = await listUsers(server.url, '')
    expect(totalCount).toBe(5)
    expect(ids(data)).toEqual(ascending('created_at').reverse())
    expect(data).toEqual(expect.arrayContaining(users))
  })

  it.each(USER_ORDER_FIELDS)('orderBy %s, +%s and -%s', async (field) => {
    expect(ids((await listUsers(server.url, `orderBy=${field}`)).data), `orderBy=${field}`).toEqual(ascending(field))
    expect(ids((await listUsers(server.url, `orderBy=%2B${field}`)).data), `orderBy=+${field}`).toEqual(ascending(field))
    expect(ids((await listUsers(server.url, `orderBy=-${field}`)).data), `orderBy=-${field}`).toEqual(ascending(field).reverse())
  })

  it('a raw "+" in the query string (decoded as a space) still means ascending', async () => {
    expect(ids((await listUsers(server.url, 'orderBy=+first_name')).data)).toEqual(ascending('first_name'))
  })

  it('limit and offset page through the same order; totalCount is the full count', async () => {
    const pages = []
    for (const offset of [0, 2, 4]) {
      const page = await listUsers(server.url, `orderBy=created_at&limit=2&offset=${offset}`)
      expect(page.totalCount).toBe(5)
      pages.push(...ids(page.data))
    }
    expect(pages).toEqual(ascending('created_at'))
    const beyond = await listUsers(server.url, 'offset=10')
    expect(beyond).toMatchObject({ data: [], totalCount: 5 })
  })

  it.each([['limit', '1'], ['limit', '500'], ['offset', '0']])('%s=%s is accepted', async (name, value) => {
    const response = await adminFetch(server.url, `/api/users?${name}=${value}`)
    expect(response.status).toBe(200)
  })
})

describe('query (case-insensitive substring)', () => {
  const user = users[2]!
  const cases: Array<[string, () => string]> = [
    ['part of the id', () => user.id.slice(5, 20).toLowerCase()],
    ['primary email, upper-cased', () => user.email_addresses![0]!.email_address.split('@')[0]!.toUpperCase()],
    ['a secondary email address', () => user.email_addresses![1]!.email_address],
    ['username', () => String(user.username)],
    ['first name', () => String(user.first_name).toLowerCase()],
    ['last name', () => String(user.last_name).toUpperCase()],
    ['part of a phone number', () => user.phone_numbers![0]!.phone_number.slice(-7)],
  ]
  it.each(cases)('%s', async (_label, needle) => {
    const { data, totalCount } = await listUsers(server.url, `query=${encodeURIComponent(needle())}`)
    expect(ids(data)).toEqual([user.id])
    expect(totalCount).toBe(1)
  })

  it('matches several and counts them', async () => {
    const { data, totalCount } = await listUsers(server.url, 'query=example.com&orderBy=created_at')
    expect(totalCount).toBe(5)
    expect(ids(data)).toEqual(ascending('created_at'))
  })

  it('no match', async () => {
    expect(await listUsers(server.url, 'query=zzz-nobody-zzz')).toMatchObject({ data: [], totalCount: 0 })
  })
})

describe('invalid parameters answer 400 naming the parameter', () => {
  it.each([
    ['limit', 'limit=0'],
    ['limit', 'limit=501'],
    ['limit', 'limit=ten'],
    ['limit', 'limit=1.5'],
    ['offset', 'offset=-1'],
    ['offset', 'offset=abc'],
    ['orderBy', 'orderBy=password'],
    ['orderBy', 'orderBy=--created_at'],
    ['orderBy', 'orderBy=created_at%20desc'],
  ])('%s: ?%s', async (parameter, query) => {
    const response = await adminFetch(server.url, `/api/users?${query}`)
    expect(response.status).toBe(400)
    const body = await response.json() as { message?: string, data?: unknown }
    expect(JSON.stringify(body)).toContain(parameter)
    expect(body.message).toContain(parameter)
  })
})

describe(`${STORE_SEQ_HEADER}`, () => {
  it('moves forward with every applied change and only then', async () => {
    const start = (await listUsers(server.url)).seq
    expect(start).toEqual(expect.any(Number))

    const user = makeUser()
    const id = newSvixId()
    await sendWebhook(server.url, userEvent('user.created', user), { id })
    const afterCreate = (await listUsers(server.url)).seq!
    expect(afterCreate).toBeGreaterThan(start!)

    await sendWebhook(server.url, userEvent('user.created', user), { id }) // duplicate
    await sendWebhook(server.url, userEvent('user.updated', user)) // stale (same updated_at)
    expect((await listUsers(server.url)).seq).toBe(afterCreate)

    await sendWebhook(server.url, userEvent('user.updated', touchUser(user)))
    expect((await listUsers(server.url)).seq).toBeGreaterThan(afterCreate)
  })
})

describe('single user', () => {
  it('GET /api/users/:id answers the stored user, 404 for an unknown id', async () => {
    expect(await getUser(server.url, users[0]!.id)).toEqual(users[0])
    const missing = await adminFetch(server.url, '/api/users/user_doesnotexist')
    expect(missing.status).toBe(404)
  })

  it('a deleted user is 404 and leaves the list and its count', async () => {
    const user = makeUser()
    await sendWebhook(server.url, userEvent('user.created', user))
    const before = await listUsers(server.url)
    await sendWebhook(server.url, deletedEvent(user.id))
    expect((await adminFetch(server.url, `/api/users/${user.id}`)).status).toBe(404)
    const after = await listUsers(server.url)
    expect(after.totalCount).toBe(before.totalCount - 1)
    expect(ids(after.data)).not.toContain(user.id)
    expect((await listUsers(server.url, `query=${user.id}`)).totalCount).toBe(0)
  })
})
