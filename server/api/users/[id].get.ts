export default defineEventHandler(async (event) => {
  await requireAdmin(event)
  const id = getRouterParam(event, 'id') ?? ''
  const user = id ? await getStoredUser(id) : null
  if (!user) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `No user ${id}` })
  return user
})
