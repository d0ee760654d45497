import type { DeliveryRecord } from '#shared/types'

/**
 * The last 1,000 deliveries, every outcome included. Memory holds the ring; storage holds it in
 * ten fixed chunks of 100, written at most once per FLUSH_MS, so the log stays bounded whatever is
 * thrown at the public webhook route and costs the hot path no write of its own.
 */
export const DELIVERY_LOG_SIZE = 1000
const CHUNK_SIZE = 100
const CHUNKS = DELIVERY_LOG_SIZE / CHUNK_SIZE
const FLUSH_MS = 500

const ring: DeliveryRecord[] = []
let counter = 0
let loading: Promise<void> | undefined
const dirtyChunks = new Set<number>()
let flushTimer: ReturnType<typeof setTimeout> | undefined

const chunkOf = (n: number) => Math.floor((n - 1) / CHUNK_SIZE) % CHUNKS

export function ensureDeliveryLog(): Promise<void> {
  loading ??= readLogChunks(CHUNKS)
    .then((records) => {
      const known = new Set(ring.map(r => r.n))
      ring.push(...records.filter(r => !known.has(r.n)))
      ring.sort((a, b) => a.n - b.n)
      ring.splice(0, Math.max(0, ring.length - DELIVERY_LOG_SIZE))
      counter = ring.reduce((max, r) => Math.max(max, r.n), counter)
    })
    .catch((error) => {
      loading = undefined
      throw error
    })
  return loading
}

/** Write the chunks that changed. Failures keep them dirty for the next flush. */
export async function flushDeliveryLog(): Promise<void> {
  flushTimer = undefined
  const chunks = [...dirtyChunks]
  dirtyChunks.clear()
  await Promise.all(chunks.map(chunk =>
    writeLogChunk(chunk, ring.filter(r => chunkOf(r.n) === chunk)).catch(() => {
      // Storage trouble already shows as 503s on deliveries and /api/health; retry on the next flush.
      dirtyChunks.add(chunk)
    }),
  ))
}

/** Log one delivery and tell the admins. Never throws: the log must not fail a delivery. */
export function recordDelivery(entry: Omit<DeliveryRecord, 'n'>): DeliveryRecord {
  const record: DeliveryRecord = { n: ++counter, ...entry }
  ring.push(record)
  if (ring.length > DELIVERY_LOG_SIZE) ring.shift()
  dirtyChunks.add(chunkOf(record.n))
  flushTimer ??= setTimeout(() => void flushDeliveryLog(), FLUSH_MS)
  broadcastDelivery(record)
  return record
}

/** Newest first. */
export async function listDeliveries(): Promise<DeliveryRecord[]> {
  await ensureDeliveryLog().catch(() => {})
  return ring.slice().reverse()
}
