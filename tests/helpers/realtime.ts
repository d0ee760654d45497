/**
 * socket.io-client against a test server, recording everything it receives.
 *
 *   const live = await connectAdmin(server.url)                       admin token in auth.token, websocket
 *   const live = await connectAdmin(server.url, { transports: ['polling'] })
 *   await live.next('user.created', e => e.data.id === id)            resolves with the first matching event
 *                                                                     (already received or still to come)
 *   live.received('user.updated')                                     everything of that name so far
 *   live.close()
 *   const err = await refusedHandshake(server.url, { auth: {} })      the connect_error of a refused socket
 * Sockets opened here are closed in the file's afterAll.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import { afterAll } from 'vitest'
import type { DeliveryRecord, UserChangeEvent } from '../../shared/types'
import { adminToken } from './session'

type EventName = 'user.created' | 'user.updated' | 'user.deleted' | 'delivery'
type Payload<N extends EventName> = N extends 'delivery' ? DeliveryRecord : UserChangeEvent
export const USER_EVENTS = ['user.created', 'user.updated', 'user.deleted'] as const

export type ClientOptions = Partial<ManagerOptions & SocketOptions>

export interface LiveClient {
  socket: Socket
  /** Every event in arrival order. */
  log: Array<{ name: EventName, payload: UserChangeEvent | DeliveryRecord }>
  received: <N extends EventName>(name: N) => Array<Payload<N>>
  /** Every user.* event in arrival order. */
  userEvents: () => UserChangeEvent[]
  next: <N extends EventName>(name: N, match?: (payload: Payload<N>) => boolean, timeoutMs?: number) => Promise<Payload<N>>
  close: () => void
}

const open = new Set<Socket>()
afterAll(() => {
  for (const socket of open) socket.close()
  open.clear()
})

function client(url: string, options: ClientOptions): Socket {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000, ...options })
  open.add(socket)
  return socket
}

export async function connectAdmin(url: string, options: ClientOptions = {}): Promise<LiveClient> {
  const socket = client(url, { auth: { token: adminToken() }, ...options })
  const log: LiveClient['log'] = []
  const waiters = new Set<() => void>()
  for (const name of [...USER_EVENTS, 'delivery'] as const) {
    socket.on(name, (payload: UserChangeEvent | DeliveryRecord) => {
      log.push({ name, payload })
      for (const wake of waiters) wake()
    })
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', error => reject(new Error(`admin socket refused: ${error.message}`)))
  })

  const received = <N extends EventName>(name: N) => log.filter(entry => entry.name === name).map(entry => entry.payload as Payload<N>)
  return {
    socket,
    log,
    received,
    userEvents: () => log.filter(entry => entry.name !== 'delivery').map(entry => entry.payload as UserChangeEvent),
    next: (name, match = () => true, timeoutMs = 10_000) => new Promise((resolve, reject) => {
      const check = () => {
        const found = received(name).find(match)
        if (!found) return false
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no matching '${name}' event within ${timeoutMs} ms; received: ${JSON.stringify(log.map(e => e.name))}`))
      }, timeoutMs)
      if (!check()) waiters.add(check)
    }),
    close: () => {
      socket.close()
      open.delete(socket)
    },
  }
}

export interface HandshakeRefusal {
  message: string
  data: { statusCode?: number } | undefined
}

/** Connects with `options` and expects the server to refuse: resolves with the connect_error. */
export async function refusedHandshake(url: string, options: ClientOptions = {}): Promise<HandshakeRefusal> {
  const socket = client(url, options)
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('handshake was accepted')))
      socket.once('connect_error', (error: Error & { data?: { statusCode?: number } }) => resolve({ message: error.message, data: error.data }))
    })
  }
  finally {
    socket.close()
    open.delete(socket)
  }
}
