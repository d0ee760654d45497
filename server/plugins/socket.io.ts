// socket.io's own Nuxt pattern: engine.io bound to Nitro's router, WebSocket upgrades through crossws.
export default defineNitroPlugin((nitroApp) => {
  const { engine } = createRealtimeServer()
  nitroApp.router.use('/socket.io/', defineEventHandler({
    handler(event) {
      engine.handleRequest(event.node.req as never, event.node.res as never)
      event._handled = true
    },
    websocket: {
      open(peer) {
        // Private engine.io API, as in socket.io's Nuxt example (crossws >= 0.3).
        const internal = (peer as unknown as { _internal: { nodeReq: { socket: unknown } } })._internal
        const rawEngine = engine as unknown as {
          prepare: (req: unknown) => void
          onWebSocket: (req: unknown, socket: unknown, websocket: unknown) => void
        }
        rawEngine.prepare(internal.nodeReq)
        rawEngine.onWebSocket(internal.nodeReq, internal.nodeReq.socket, (peer as unknown as { websocket: unknown }).websocket)
      },
    },
  }))
})
