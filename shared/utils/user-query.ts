import type { ClerkUser, UserOrderBy, UserOrderField } from '../types/users'

/** The fields a list can be searched and sorted by, derived once from a stored user. */
export interface UserSortKeys {
  id: string
  /** Lower-cased id, emails, username, names and phone numbers, joined. */
  haystack: string
  created_at: number
  updated_at: number
  email_address: string | null
  first_name: string | null
  last_name: string | null
  last_sign_in_at: number | null
  last_active_at: number | null
}

export function primaryEmail(user: ClerkUser): string | null {
  const emails = user.email_addresses ?? []
  const primary = emails.find(e => e.id === user.primary_email_address_id) ?? emails[0]
  return primary?.email_address ?? null
}

export function userSortKeys(user: ClerkUser): UserSortKeys {
  const parts = [
    user.id,
    user.username,
    user.first_name,
    user.last_name,
    ...(user.email_addresses ?? []).map(e => e.email_address),
    ...(user.phone_numbers ?? []).map(p => p.phone_number),
  ]
  return {
    id: user.id,
    haystack: parts.filter(p => typeof p === 'string' && p).join('\n').toLowerCase(),
    created_at: user.created_at,
    updated_at: user.updated_at,
    email_address: primaryEmail(user)?.toLowerCase() ?? null,
    first_name: user.first_name?.toLowerCase() ?? null,
    last_name: user.last_name?.toLowerCase() ?? null,
    last_sign_in_at: user.last_sign_in_at ?? null,
    last_active_at: user.last_active_at ?? null,
  }
}

/** Case-insensitive substring of id, any email, username, first or last name, any phone number. */
export function matchesQuery(keys: UserSortKeys, query: string): boolean {
  const needle = query.trim().toLowerCase()
  return needle === '' || keys.haystack.includes(needle)
}

export function parseOrderBy(orderBy: UserOrderBy): { field: UserOrderField, direction: 1 | -1 } {
  if (orderBy.startsWith('-')) return { field: orderBy.slice(1) as UserOrderField, direction: -1 }
  if (orderBy.startsWith('+')) return { field: orderBy.slice(1) as UserOrderField, direction: 1 }
  return { field: orderBy as UserOrderField, direction: 1 }
}

/**
 * A comparator for `orderBy`. Missing values sort last in either direction,
 * and ties break on id so paging is stable.
 */
export function compareUsersBy(orderBy: UserOrderBy): (a: UserSortKeys, b: UserSortKeys) => number {
  const { field, direction } = parseOrderBy(orderBy)
  return (a, b) => {
    const x = a[field]
    const y = b[field]
    if (x !== y) {
      if (x === null) return 1
      if (y === null) return -1
      return (x < y ? -1 : 1) * direction
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }
}
