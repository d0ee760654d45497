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
  /** The delivery that wrote this record: lets a retry finish a delivery interrupted after the write. */
  svixId: string
}

/** A record without its data: enough to judge the next event. */
export type UserVersion = Omit<UserRecord, 'data'>

export type UserEvent =
  | { type: 'user.created' | 'user.updated', data: ClerkUser, timestamp?: number }
  | { type: 'user.deleted', data: { id: string, deleted?: boolean }, timestamp?: number }

export type Decision =
  | { apply: true, next: Omit<UserRecord, 'seq' | 'svixId'> }
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
