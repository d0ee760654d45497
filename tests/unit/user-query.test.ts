import { describe, expect, it } from 'vitest'
import { compareUsersBy, matchesQuery, userSortKeys } from '../../shared/utils/user-query'
import type { ClerkUser } from '../../shared/types/users'

const base = (id: string, extra: Partial<ClerkUser> = {}): ClerkUser => ({ id, created_at: 1, updated_at: 1, ...extra })

const ada = base('user_a', {
  first_name: 'Ada', last_name: 'Lovelace', username: 'countess',
  primary_email_address_id: 'idn_2',
  email_addresses: [{ id: 'idn_1', email_address: 'old@example.com' }, { id: 'idn_2', email_address: 'Ada@Example.com' }],
  phone_numbers: [{ id: 'idn_p', phone_number: '+15550100' }],
  created_at: 30, last_sign_in_at: null,
})
const bob = base('user_b', { first_name: 'bob', created_at: 10, last_sign_in_at: 5 })
const cy = base('user_c', { first_name: null, created_at: 20, last_sign_in_at: 7 })

describe('matchesQuery', () => {
  const keys = userSortKeys(ada)
  it.each(['user_a', 'ADA@example', 'old@', 'countess', 'lovelace', 'ada', '5550100', ''])('matches %j', (q) => {
    expect(matchesQuery(keys, q)).toBe(true)
  })
  it('does not match what is not there', () => {
    expect(matchesQuery(keys, 'grace')).toBe(false)
  })
})

describe('compareUsersBy', () => {
  const sorted = (orderBy: Parameters<typeof compareUsersBy>[0]) =>
    [ada, bob, cy].map(userSortKeys).sort(compareUsersBy(orderBy)).map(k => k.id)

  it('sorts ascending and descending', () => {
    expect(sorted('created_at')).toEqual(['user_b', 'user_c', 'user_a'])
    expect(sorted('+created_at')).toEqual(['user_b', 'user_c', 'user_a'])
    expect(sorted('-created_at')).toEqual(['user_a', 'user_c', 'user_b'])
  })
  it('compares names case-insensitively and puts missing values last either way', () => {
    expect(sorted('first_name')).toEqual(['user_a', 'user_b', 'user_c'])
    expect(sorted('-first_name')).toEqual(['user_b', 'user_a', 'user_c'])
    expect(sorted('-last_sign_in_at')).toEqual(['user_c', 'user_b', 'user_a'])
  })
  it('sorts by primary email', () => {
    expect(userSortKeys(ada).email_address).toBe('ada@example.com')
  })
})
