// Every method but POST (which webhooks.post.ts handles).
export default defineEventHandler((event) => {
  setResponseHeader(event, 'Allow', 'POST')
  throw createError({ statusCode: 405, statusMessage: 'Method Not Allowed', message: 'Use POST to deliver webhooks' })
})
