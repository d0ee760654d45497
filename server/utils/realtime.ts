import type { IncomingMessage } from 'node:http'
import { Server as Engine } from 'engine.io'
import { Server, type Socket } from 'socket.io'
import type { ClientToServerEvents, DeliveryRecord, ServerToClientEvents, UserChangeEvent } from '#shared/types'

/**
 * The one owner of socket.io. The store and the delivery log call the broadcast functions;
 * nothing else touches `io`. Only authorized admins join the room that receives events.
 */
type AdminServer = Server<ClientToServerEvents, ServerToClientEvents>

const ADMINS = 'admins'
let io: AdminServer | undefined

export function createRealtimeServer(): { io: AdminServer, engine: Engine } {
  // Nitro routes /socket.io/ to the engine (server/plugins/socket.io.ts), so no path option here.
  const engine = new Engine()
  const server: AdminServer = new Server({ path: '/socket.io/', serveClient: false })
  server.bind(engine)
  server.use((socket, next) => {
    const request = socket.request as IncomingMessage
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined
    authorizeAdmin({ headers: request.headers, remoteAddress: request.socket?.remoteAddress, token })
      .then(() => next())
      .catch((error: unknown) => {
        const statusCode = error instanceof AccessError ? error.statusCode : 401
        const refusal = new Error(error instanceof AccessError ? error.message : 'Unauthorized') as Error & { data?: unknown }
        refusal.data = { statusCode }
        next(refusal)
      })
  })
  server.on('connection', (socket: Socket) => {
    socket.join(ADMINS)
  })
  io = server
  return { io: server, engine }
}

/** Encoding a packet costs even with nobody to send it to: skip it while no admin is connected. */
function admins() {
  return io && io.sockets.adapter.rooms.get(ADMINS)?.size ? io.to(ADMINS) : undefined
}

export function broadcastUserChange(change: UserChangeEvent): void {
  admins()?.emit(change.type, change)
}

export function broadcastDelivery(record: DeliveryRecord): void {
  admins()?.emit('delivery', record)
}
