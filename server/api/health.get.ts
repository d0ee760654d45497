// Cheap enough for a load balancer every second: one tiny write and read.
export default defineEventHandler(async (event) => {
  try {
    await probeStorage()
    return { status: 'ok' }
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'unavailable' }
  }
})
