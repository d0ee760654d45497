import { STORE_SEQ_HEADER } from '#shared/types'

export default defineEventHandler(async (event) => {
  await requireAdmin(event)
  const query = parseUserListQuery(getQuery(event))
  const { data, totalCount, seq } = await listStoredUsers(query)
  // Lets the admin page line up a snapshot with the live events it buffered meanwhile.
  setResponseHeader(event, STORE_SEQ_HEADER, String(seq))
  return { data, totalCount }
})
