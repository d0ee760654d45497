import type { DeliveryRecord } from '#shared/types'

/**
 * The last 1,000 deliveries, every outcome included. A ring of fixed slots in storage keeps it
 * bounded whatever is thrown at the public webhook route; memory holds the same ring for reads.
 */
export const DELIVERY_LOG_SIZE = 1000

const ring: DeliveryRecord[] = []
let counter = 0
let loading: Promise<void> | undefined

export function ensureDeliveryLog(): Promise<void> {
  loading ??= readLogSlots(DELIVERY_LOG_SIZE)
    .then((records) => {
      const known = new Set(ring.map(r => r.n))
      ring.push(...records.filter(r => !known.has(r.n)))
      ring.sort((a, b) => a.n - b.n)
      ring.splice(0, Math.max(0, ring.length - DELIVERY_LOG_SIZE))
      counter = Math.max(counter, ...ring.map(r => r.n))
    })
    .catch((error) => {
      loading = undefined
      throw error
    })
  return loading
}

/** Log one delivery and tell the admins. Never throws: the log must not fail a delivery. */
export function recordDelivery(entry: Omit<DeliveryRecord, 'n'>): DeliveryRecord {
  const record: DeliveryRecord = { n: ++counter, ...entry }
  ring.push(record)
  if (ring.length > DELIVERY_LOG_SIZE) ring.shift()
  writeLogSlot(record.n % DELIVERY_LOG_SIZE, record).catch(() => {
    // Storage trouble already shows as 503s on deliveries and /api/health; the log stays in memory.
  })
  broadcastDelivery(record)
  return record
}

/** Newest first. */
export async function listDeliveries(): Promise<DeliveryRecord[]> {
  await ensureDeliveryLog().catch(() => {})
  return ring.slice().reverse()
}
