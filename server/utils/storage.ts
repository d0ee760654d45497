import { createHash } from 'node:crypto'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import type { DeliveryRecord } from '#shared/types'
import type { UserRecord } from './user-rules'

/**
 * The one owner of persisted data. Keys are namespaced and versioned (`v1:`), so a future
 * format change can live beside old data. Nothing else builds keys or calls unstorage.
 */
const V = 'v1'

/** A delivery of an event type that touches no user (user deliveries are remembered in the user's record). */
export interface DeliveryMark {
  outcome: 'ignored'
  type: string
  at: number
}

let storage: Storage | undefined

export function useDataStorage(): Storage {
  if (storage) return storage
  const settings = useAppSettings()
  switch (settings.storageDriver) {
    case 'memory':
      storage = createStorage({ driver: memoryDriver() })
      break
    case 'fs':
      storage = createStorage({ driver: fsDriver({ base: settings.storageBase }) })
      break
    default:
      throw new Error(`NUXT_STORAGE_DRIVER=${settings.storageDriver} is not supported yet`)
  }
  return storage
}

/** Ids come from the outside: keep safe ones readable, hash anything that could escape a key segment. */
export function keySegment(value: string): string {
  return /^[\w-]{1,100}$/.test(value) ? value : `h_${createHash('sha256').update(value).digest('hex')}`
}

/**
 * unstorage's fs driver resolves (instead of rejecting) with the error for anything but ENOENT,
 * e.g. ENOTDIR or EACCES. Treat such a value as the failure it is, so a broken store fails closed.
 */
function surely<T>(value: T | Error | null): T | null {
  if (value instanceof Error) throw value
  return value
}

const userKey = (id: string) => `${V}:users:${keySegment(id)}`
const markKey = (svixId: string) => `${V}:svix:${keySegment(svixId)}`
const logKey = (chunk: number) => `${V}:log:${chunk}`

export async function readUserRecord(id: string): Promise<UserRecord | null> {
  return surely(await useDataStorage().getItem<UserRecord>(userKey(id)))
}

export async function writeUserRecord(record: UserRecord): Promise<void> {
  await useDataStorage().setItem(userKey(record.id), record)
}

export async function readUserRecords(ids: string[]): Promise<UserRecord[]> {
  const items = await useDataStorage().getItems<UserRecord>(ids.map(userKey))
  return items.map(item => surely(item.value)).filter((value): value is UserRecord => value !== null)
}

export async function readAllUserRecords(): Promise<UserRecord[]> {
  const keys = await useDataStorage().getKeys(`${V}:users`)
  const records: UserRecord[] = []
  // Batches keep file handles bounded when the fs driver holds many users.
  for (let i = 0; i < keys.length; i += 500) {
    const items = await useDataStorage().getItems<UserRecord>(keys.slice(i, i + 500))
    for (const item of items) {
      const value = surely(item.value)
      if (value) records.push(value)
    }
  }
  return records
}

export async function readDeliveryMark(svixId: string): Promise<DeliveryMark | null> {
  return surely(await useDataStorage().getItem<DeliveryMark>(markKey(svixId)))
}

export async function writeDeliveryMark(svixId: string, mark: DeliveryMark): Promise<void> {
  await useDataStorage().setItem(markKey(svixId), mark)
}

/** Forget svix-ids older than `maxAgeMs`. Returns how many were removed. */
export async function pruneDeliveryMarks(maxAgeMs: number, now = Date.now()): Promise<number> {
  const store = useDataStorage()
  const keys = await store.getKeys(`${V}:svix`)
  let removed = 0
  for (let i = 0; i < keys.length; i += 500) {
    const items = await store.getItems<DeliveryMark>(keys.slice(i, i + 500))
    for (const { key, value } of items) {
      const mark = surely(value)
      if (mark && now - mark.at > maxAgeMs) {
        await store.removeItem(key)
        removed++
      }
    }
  }
  return removed
}

/** The delivery log is kept in a few fixed chunks (arrays of records), rewritten in place. */
export async function writeLogChunk(chunk: number, records: DeliveryRecord[]): Promise<void> {
  await useDataStorage().setItem(logKey(chunk), records)
}

export async function readLogChunks(chunks: number): Promise<DeliveryRecord[]> {
  const keys = Array.from({ length: chunks }, (_, chunk) => logKey(chunk))
  const items = await useDataStorage().getItems<DeliveryRecord[]>(keys)
  return items.flatMap(item => surely(item.value) ?? []).filter(record => typeof record?.n === 'number')
}

/** A write and a read of a tiny key: proves the driver is usable right now. */
export async function probeStorage(): Promise<void> {
  const store = useDataStorage()
  const stamp = Date.now()
  await store.setItem(`${V}:meta:health`, stamp)
  if (typeof surely(await store.getItem<number>(`${V}:meta:health`)) !== 'number') throw new Error('storage read-back failed')
}
