import type { UserListQuery } from '#shared/types'
import { firstSorted, MAX_SORTED_WINDOW } from './sorted-window'
import type { UserRecord, UserVersion } from './user-rules'

/**
 * In-memory search/sort keys for every live user, so listing 100,000 users never reads them all
 * from storage: a page reads only its own rows. Built once from storage at start, then kept in
 * step by the users store after each write (this process is the store's only writer). Also holds
 * each id's version (tombstones included), so judging a delivery needs no storage read, and the
 * store-wide change counter (`seq`).
 */
const live = new Map<string, UserSortKeys>()
const versions = new Map<string, UserVersion>()
let seq = 0
/** Seqs handed out whose write has not landed (or failed) yet. */
const pending = new Set<number>()
let loading: Promise<void> | undefined

export function ensureUserIndex(): Promise<void> {
  loading ??= (async () => {
    const records = await readAllUserRecords()
    for (const record of records) indexUserRecord(record)
  })().catch((error) => {
    loading = undefined // let the next request try again
    throw error
  })
  return loading
}

/** Reflect a record that was just written. */
export function indexUserRecord(record: UserRecord): void {
  seq = Math.max(seq, record.seq)
  const { data, ...version } = record
  versions.set(record.id, version)
  if (record.deleted || !data) live.delete(record.id)
  else live.set(record.id, userSortKeys(data))
}

/** What the store holds for this id, without its data; null if never seen. */
export function storedVersion(id: string): UserVersion | null {
  return versions.get(id) ?? null
}

/** Reserve the next seq for a write; `settleSeq` it once the write landed or failed. */
export function nextSeq(): number {
  pending.add(++seq)
  return seq
}

export function settleSeq(value: number): void {
  pending.delete(value)
}

/**
 * The highest seq whose change, and every change before it, is in the index. A list read
 * reports this, so a client can trust that live events up to it are already in the snapshot.
 */
export function committedSeq(): number {
  let lowestPending = Infinity
  for (const value of pending) lowestPending = Math.min(lowestPending, value)
  return lowestPending === Infinity ? seq : lowestPending - 1
}

export function queryUserIds({ query, orderBy, limit, offset }: UserListQuery): { ids: string[], totalCount: number } {
  const matches = query.trim() ? [...live.values()].filter(keys => matchesQuery(keys, query)) : [...live.values()]
  const compare = compareUsersBy(orderBy)
  const end = offset + limit
  // A page near the top (the usual case) needs only a window, not the whole list sorted.
  const sorted = end <= MAX_SORTED_WINDOW ? firstSorted(matches, end, compare) : matches.sort(compare)
  return { ids: sorted.slice(offset, end).map(keys => keys.id), totalCount: matches.length }
}
