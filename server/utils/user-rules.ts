import type { ClerkUser } from '../../shared/types/users'

/**
 * What the store keeps per user id. A deleted user stays as a tombstone: Clerk never reuses
 * user ids, so anything that arrives for it after the delete is old news.
 */
export interface UserRecord {
  id: string
  /** The user exactly as Clerk sent it; null once deleted. */
  data: ClerkUser | null
  /** `data.updated_at` of the stored copy (ms). */
  updatedAt: number
  deleted: boolean
  /** The event's `timestamp` (ms) when the delete was applied. */
  deletedAt: number | null
  /** Store-wide change counter at the moment this record was written. */
  seq: number
  /**
   * The deliveries judged for this user (svix-id → outcome and when), so a retry or replay is a
   * duplicate. Kept in the same record as the change, so one write commits both. Bounded by
   * rememberDelivery; an id that has aged out is still judged by the rules below, which change nothing.
   */
  deliveries: Record<string, JudgedDelivery>
}

export interface JudgedDelivery {
  outcome: 'applied' | 'stale'
  at: number
}

/** A record without its data: enough to judge the next event. */
export type UserVersion = Omit<UserRecord, 'data'>

export type UserEvent =
  | { type: 'user.created' | 'user.updated', data: ClerkUser, timestamp?: number }
  | { type: 'user.deleted', data: { id: string, deleted?: boolean }, timestamp?: number }

export type Decision =
  | { apply: true, next: Omit<UserRecord, 'seq' | 'deliveries'> }
  | { apply: false, why: 'older_or_equal' | 'already_deleted' }

/**
 * The ordering rules, pure. Deliveries are unordered and repeated, so each event is judged only
 * against what is stored: newer `updated_at` wins, a tombstone wins over everything.
 */
export function decideUserChange(stored: Pick<UserRecord, 'deleted' | 'updatedAt'> | null, event: UserEvent): Decision {
  if (stored?.deleted) return { apply: false, why: 'already_deleted' }
  if (event.type === 'user.deleted') {
    return {
      apply: true,
      next: { id: event.data.id, data: null, updatedAt: stored?.updatedAt ?? 0, deleted: true, deletedAt: event.timestamp ?? null },
    }
  }
  if (stored && event.data.updated_at <= stored.updatedAt) return { apply: false, why: 'older_or_equal' }
  return {
    apply: true,
    next: { id: event.data.id, data: event.data, updatedAt: event.data.updated_at, deleted: false, deletedAt: null },
  }
}

/** Svix retries for about 28 hours and Dashboard replays come later: remember ids for 8 days. */
export const REMEMBER_DELIVERIES_MS = 8 * 24 * 60 * 60 * 1000
/** Per user, so a user updated thousands of times never makes its record grow without bound. */
export const MAX_REMEMBERED_PER_USER = 200

/** Add one judged delivery, dropping ids past the age or count limit (oldest first). */
export function rememberDelivery(
  known: Record<string, JudgedDelivery> | undefined,
  svixId: string,
  judged: JudgedDelivery,
): Record<string, JudgedDelivery> {
  const kept = Object.entries(known ?? {})
    .filter(([, delivery]) => judged.at - delivery.at < REMEMBER_DELIVERIES_MS)
    .sort((a, b) => a[1].at - b[1].at)
    .slice(-(MAX_REMEMBERED_PER_USER - 1))
  return Object.fromEntries([...kept, [svixId, judged]])
}
