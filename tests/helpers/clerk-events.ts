/**
 * Typed entry to scripts/lib/clerk-events.mjs (the realistic UserJSON builder and Svix-exact signer
 * shared with `npm run webhook:send` and the benchmarks), so the tests send what Clerk sends.
 *   makeUser(overrides?) -> full UserJSON (timestamps in ms; `now`/`email` convenience overrides)
 *   touchUser(user, overrides?) -> the same user, updated_at moved forward (a later user.updated)
 *   userEvent('user.created' | 'user.updated', user), deletedEvent(id), otherEvent('session.created')
 *   signDelivery(secret, body, { id?, timestamp? (s) }) -> svix-id / svix-timestamp / svix-signature headers
 */
import type { ClerkUser } from '../../shared/types'
import * as events from '../../scripts/lib/clerk-events.mjs'

export interface ClerkEvent<T = Record<string, unknown>> {
  type: string
  object: 'event'
  data: T
  timestamp: number
  instance_id: string
  [key: string]: unknown
}

export type SvixHeaders = Record<'content-type' | 'svix-id' | 'svix-timestamp' | 'svix-signature', string>

export const clerkId = events.clerkId as (prefix: string) => string
export const makeSigningSecret = events.makeSigningSecret as () => string
export const makeUser = events.makeUser as (overrides?: Record<string, unknown>) => ClerkUser
export const touchUser = events.touchUser as (user: ClerkUser, overrides?: Record<string, unknown>) => ClerkUser
export const userEvent = events.userEvent as (type: 'user.created' | 'user.updated', user: ClerkUser, options?: { timestamp?: number }) => ClerkEvent<ClerkUser>
export const deletedEvent = events.deletedEvent as (id: string, options?: { timestamp?: number }) => ClerkEvent<{ id: string, object: 'user', deleted: true }>
export const otherEvent = events.otherEvent as (type: string, options?: { userId?: string, timestamp?: number }) => ClerkEvent
export const signDelivery = events.signDelivery as (secret: string, payload: string, options?: { id?: string, timestamp?: number | Date }) => SvixHeaders
