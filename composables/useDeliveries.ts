import type { DeliveryListResponse, DeliveryRecord } from '#shared/types'
import type { AdminSocketHandle } from './useAdminSocket'

export const DELIVERIES_CAP = 1000

// `n` restarts with the server, so it identifies a record only together with its time.
const keyOf = (r: DeliveryRecord) => `${r.n}:${r.receivedAt}`
const newestFirst = (a: DeliveryRecord, b: DeliveryRecord) => b.receivedAt - a.receivedAt || b.n - a.n

/** The recent delivery log, newest first: SSR snapshot, live `delivery` events, refetched on reconnect. */
export function useDeliveries(socket: AdminSocketHandle) {
  const records = shallowRef<DeliveryRecord[]>([])
  let buffer: DeliveryRecord[] | null = null
  let generation = 0

  const initial = useFetch<DeliveryListResponse>('/api/deliveries', { key: 'admin-deliveries' })
  const ready = initial.then(({ data }) => {
    records.value = data.value?.data ?? []
  })

  function prepend(record: DeliveryRecord) {
    const next = [record, ...records.value]
    if (next.length > DELIVERIES_CAP) next.length = DELIVERIES_CAP
    records.value = next
  }

  async function refresh() {
    const gen = ++generation
    buffer ??= []
    try {
      const res = await $fetch<DeliveryListResponse>('/api/deliveries')
      if (gen !== generation) return
      // Records that raced the fetch may or may not be in it: merge by identity.
      const seen = new Set(res.data.map(keyOf))
      const merged = [...(buffer ?? []).filter(r => !seen.has(keyOf(r))), ...res.data].sort(newestFirst)
      records.value = merged.slice(0, DELIVERIES_CAP)
      buffer = null
    }
    catch {
      // Keep what we have; the users list reports access problems for the page.
      if (gen !== generation) return
      const pending = buffer ?? []
      buffer = null
      pending.forEach(prepend)
    }
  }

  socket.onConnect(refresh)
  socket.onDelivery(record => buffer ? buffer.push(record) : prepend(record))

  return { ready, records: computed(() => records.value), refresh }
}
