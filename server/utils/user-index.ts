import type { UserListQuery } from '#shared/types'
import type { UserRecord } from './user-rules'

/**
 * In-memory search/sort keys for every live user, so listing 100,000 users never reads them all
 * from storage: a page reads only its own rows. Built once from storage at start, then kept in
 * step by the users store after each write. Also holds the store-wide change counter (`seq`).
 */
const live = new Map<string, UserSortKeys>()
let seq = 0
let loading: Promise<void> | undefined

export function ensureUserIndex(): Promise<void> {
  loading ??= (async () => {
    const records = await readAllUserRecords()
    for (const record of records) {
      seq = Math.max(seq, record.seq)
      if (!record.deleted && record.data) live.set(record.id, userSortKeys(record.data))
    }
  })().catch((error) => {
    loading = undefined // let the next request try again
    throw error
  })
  return loading
}

/** Reflect a record that was just written. */
export function indexUserRecord(record: UserRecord): void {
  seq = Math.max(seq, record.seq)
  if (record.deleted || !record.data) live.delete(record.id)
  else live.set(record.id, userSortKeys(record.data))
}

export function nextSeq(): number {
  return ++seq
}

export function currentSeq(): number {
  return seq
}

export function queryUserIds({ query, orderBy, limit, offset }: UserListQuery): { ids: string[], totalCount: number } {
  const matches: UserSortKeys[] = []
  for (const keys of live.values()) if (matchesQuery(keys, query)) matches.push(keys)
  matches.sort(compareUsersBy(orderBy))
  return { ids: matches.slice(offset, offset + limit).map(keys => keys.id), totalCount: matches.length }
}
