import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, DeliveryRecord, ServerToClientEvents, UserChangeEvent } from '#shared/types'

export type ConnectionStatus = 'live' | 'reconnecting' | 'offline'

type AdminSocket = Socket<ServerToClientEvents, ClientToServerEvents>

interface Handlers {
  connect: Set<() => void>
  user: Set<(event: UserChangeEvent) => void>
  delivery: Set<(record: DeliveryRecord) => void>
}

/** How long to wait before trying again after the server refused the handshake (it never retries by itself then). */
const REFUSED_RETRY_MS = 10_000

/** The slice of clerk-js this page needs; read from `window` so local mode never loads Clerk. */
interface ClerkGlobal { session?: { getToken: () => Promise<string | null> } | null }

/**
 * Owns the admin socket's whole life: created on mount (client only), closed on unmount.
 * Consumers register handlers (before or after mount); `onConnect` fires on the first
 * connect and on every reconnect, which is where they catch up on what they missed.
 */
export function useAdminSocket() {
  // 'reconnecting' until the first attempt settles: the socket is created right after hydration.
  const status = ref<ConnectionStatus>('reconnecting')
  const error = ref<string | null>(null)
  const handlers: Handlers = { connect: new Set(), user: new Set(), delivery: new Set() }
  const publishableKey = useRuntimeConfig().public.clerk?.publishableKey
  let socket: AdminSocket | null = null
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  // Session tokens live about a minute, so ask Clerk for a fresh one on every (re)connect.
  // Without a token the __session cookie (same origin) still authorizes the handshake.
  async function freshToken(): Promise<string | undefined> {
    if (!publishableKey) return undefined
    try {
      const clerk = (window as unknown as { Clerk?: ClerkGlobal }).Clerk
      return (await clerk?.session?.getToken()) ?? undefined
    }
    catch {
      return undefined
    }
  }

  function updateStatus() {
    if (!socket) status.value = 'offline'
    else if (socket.connected) status.value = 'live'
    else if (socket.active && navigator.onLine !== false) status.value = 'reconnecting'
    else status.value = 'offline'
  }

  function scheduleRetry() {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => socket?.connect(), REFUSED_RETRY_MS)
  }

  onMounted(() => {
    socket = io({
      path: '/socket.io/',
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 3000,
      auth: (cb) => {
        freshToken().then(token => cb(token ? { token } : {}))
      },
    })
    socket.on('connect', () => {
      error.value = null
      updateStatus()
      handlers.connect.forEach(fn => fn())
    })
    socket.on('disconnect', (reason) => {
      updateStatus()
      // The server dropped us on purpose (e.g. access revoked): it will not retry by itself.
      if (reason === 'io server disconnect') scheduleRetry()
    })
    socket.on('connect_error', (err) => {
      updateStatus()
      // socket.active is false when the server refused the handshake (middleware error).
      if (socket && !socket.active) {
        error.value = err.message || 'Connection refused'
        scheduleRetry()
      }
    })
    socket.io.on('reconnect_attempt', updateStatus)
    for (const type of ['user.created', 'user.updated', 'user.deleted'] as const) {
      socket.on(type, event => handlers.user.forEach(fn => fn(event)))
    }
    socket.on('delivery', record => handlers.delivery.forEach(fn => fn(record)))
    window.addEventListener('online', updateStatus)
    window.addEventListener('offline', updateStatus)
    updateStatus()
  })

  onBeforeUnmount(() => {
    clearTimeout(retryTimer)
    window.removeEventListener('online', updateStatus)
    window.removeEventListener('offline', updateStatus)
    socket?.removeAllListeners()
    socket?.io.removeAllListeners()
    socket?.close()
    socket = null
  })

  return {
    status: readonly(status),
    error: readonly(error),
    onConnect: (fn: () => void) => handlers.connect.add(fn),
    onUserEvent: (fn: (event: UserChangeEvent) => void) => handlers.user.add(fn),
    onDelivery: (fn: (record: DeliveryRecord) => void) => handlers.delivery.add(fn),
  }
}

export type AdminSocketHandle = ReturnType<typeof useAdminSocket>
