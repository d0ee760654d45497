import type { ClerkUser } from './users'
import type { DeliveryRecord } from './deliveries'

export type UserEventType = 'user.created' | 'user.updated' | 'user.deleted'

export type UserChangeEvent =
  | { type: 'user.created' | 'user.updated', data: ClerkUser, seq: number }
  | { type: 'user.deleted', data: { id: string, deleted: true }, seq: number }

/** Events the server emits to admin sockets. Names match Clerk's event types. */
export interface ServerToClientEvents {
  'user.created': (event: UserChangeEvent) => void
  'user.updated': (event: UserChangeEvent) => void
  'user.deleted': (event: UserChangeEvent) => void
  'delivery': (record: DeliveryRecord) => void
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}

/** Response header carrying the store's change counter at the moment a list was read. */
export const STORE_SEQ_HEADER = 'x-store-seq'
