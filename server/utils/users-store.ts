import type { ClerkUser, UserChangeEvent, UserListQuery } from '#shared/types'
import { decideUserChange, rememberDelivery, type UserEvent, type UserRecord } from './user-rules'

export interface VerifiedEvent {
  type: string
  data: Record<string, unknown>
  timestamp?: number
}

export interface IngestResult {
  outcome: 'applied' | 'duplicate' | 'stale' | 'ignored'
  userId: string | null
}

const USER_EVENTS = new Set(['user.created', 'user.updated', 'user.deleted'])

/** One promise chain per user id: changes to one user never interleave within this process. */
const userLocks = new Map<string, Promise<unknown>>()
/** Deliveries being processed, by svix-id: a concurrent copy waits for the first instead of applying again. */
const inFlight = new Map<string, Promise<IngestResult>>()

async function withUserLock<T>(id: string, task: () => Promise<T>): Promise<T> {
  const run = (userLocks.get(id) ?? Promise.resolve()).catch(() => {}).then(task)
  const tail = run.catch(() => {})
  userLocks.set(id, tail)
  try {
    return await run
  }
  finally {
    if (userLocks.get(id) === tail) userLocks.delete(id)
  }
}

function toChangeEvent(type: UserEvent['type'], record: UserRecord): UserChangeEvent {
  return record.deleted || !record.data
    ? { type: 'user.deleted', data: { id: record.id, deleted: true }, seq: record.seq }
    : { type: type === 'user.deleted' ? 'user.updated' : type, data: record.data, seq: record.seq }
}

/** Write a record and reflect it in the index; its seq counts as settled whether or not the write landed. */
async function commitUserRecord(record: UserRecord): Promise<void> {
  try {
    await writeUserRecord(record)
    indexUserRecord(record)
  }
  finally {
    settleSeq(record.seq)
  }
}

/**
 * Judge one user delivery against the stored version and commit the outcome with the change in
 * a single write: a crash or a storage error leaves either both or neither. Broadcast only after.
 */
async function applyUserEvent(svixId: string, event: UserEvent): Promise<IngestResult> {
  const userId = event.data.id
  return await withUserLock(userId, async () => {
    const stored = storedVersion(userId)
    if (stored?.deliveries?.[svixId]) return { outcome: 'duplicate', userId }
    const now = Date.now()
    const decision = decideUserChange(stored, event)
    if (!decision.apply) {
      // Nothing changes, but the outcome is remembered so a replay answers "duplicate".
      const current = await readUserRecord(userId)
      if (!current) throw new Error(`user ${userId} is indexed but missing from storage`)
      const remembered = { ...current, deliveries: rememberDelivery(current.deliveries, svixId, { outcome: 'stale', at: now }) }
      await writeUserRecord(remembered)
      indexUserRecord(remembered)
      return { outcome: 'stale', userId }
    }
    const record: UserRecord = {
      ...decision.next,
      seq: nextSeq(),
      deliveries: rememberDelivery(stored?.deliveries, svixId, { outcome: 'applied', at: now }),
    }
    await commitUserRecord(record)
    broadcastUserChange(toChangeEvent(event.type, record))
    return { outcome: 'applied', userId }
  })
}

async function ingest(svixId: string, event: VerifiedEvent): Promise<IngestResult> {
  await ensureUserIndex()
  if (USER_EVENTS.has(event.type)) return await applyUserEvent(svixId, event as unknown as UserEvent)
  // Other event types touch no user: their ids are remembered on their own.
  if (await readDeliveryMark(svixId)) return { outcome: 'duplicate', userId: null }
  await writeDeliveryMark(svixId, { outcome: 'ignored', type: event.type, at: Date.now() })
  return { outcome: 'ignored', userId: null }
}

/**
 * Apply one verified delivery exactly once per svix-id. Storage errors propagate (the route
 * answers 503 so Svix retries); nothing is broadcast unless the change was written.
 */
export async function ingestVerifiedEvent(svixId: string, event: VerifiedEvent): Promise<IngestResult> {
  const running = inFlight.get(svixId)
  if (running) {
    const first = await running
    return { outcome: 'duplicate', userId: first.userId }
  }
  const work = ingest(svixId, event)
  inFlight.set(svixId, work)
  try {
    return await work
  }
  finally {
    inFlight.delete(svixId)
  }
}

export async function getStoredUser(id: string): Promise<ClerkUser | null> {
  const record = await readUserRecord(id)
  return record && !record.deleted ? record.data : null
}

export async function listStoredUsers(query: UserListQuery): Promise<{ data: ClerkUser[], totalCount: number, seq: number }> {
  await ensureUserIndex()
  const seq = committedSeq()
  const { ids, totalCount } = queryUserIds(query)
  const records = await readUserRecords(ids)
  const byId = new Map(records.map(record => [record.id, record]))
  const data = ids.map(id => byId.get(id)?.data).filter((user): user is ClerkUser => !!user)
  return { data, totalCount, seq }
}
