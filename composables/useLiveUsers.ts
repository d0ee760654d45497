import { STORE_SEQ_HEADER, USER_ORDER_FIELDS } from '#shared/types'
import type { ClerkUser, UserChangeEvent, UserListResponse, UserOrderBy } from '#shared/types'
import type { AdminSocketHandle } from './useAdminSocket'

export const USERS_PAGE_SIZE = 50
export const DEFAULT_ORDER_BY: UserOrderBy = '-created_at'
export type RowFlash = 'created' | 'updated' | 'deleted'

const FLASH_MS = 1600
/** A deleted row stays (highlighted) this long before it leaves, so the eye can follow it. */
const DELETE_LINGER_MS = 900

function parseOrderBy(value: unknown): UserOrderBy {
  const raw = typeof value === 'string' ? value : ''
  const field = raw.replace(/^[+-]/, '')
  return (USER_ORDER_FIELDS as readonly string[]).includes(field) ? raw as UserOrderBy : DEFAULT_ORDER_BY
}

function parsePage(value: unknown): number {
  const page = Number(value)
  return Number.isInteger(page) && page > 0 ? page : 1
}

function httpStatus(error: unknown): number {
  const e = error as { statusCode?: number, status?: number, response?: { status?: number } } | null
  return e?.statusCode ?? e?.status ?? e?.response?.status ?? 0
}

/**
 * One server-side window (search, sort, page) of the users list, kept live.
 * The first page comes from SSR; every socket (re)connect refetches the window and re-applies
 * the events that arrived meanwhile, so nothing is missed and nothing stale survives.
 * Call it synchronously in setup, then `await ready`.
 */
export function useLiveUsers(socket: AdminSocketHandle) {
  const route = useRoute()
  const router = useRouter()
  const toast = useToast()

  const query = ref(typeof route.query.q === 'string' ? route.query.q : '')
  const orderBy = ref<UserOrderBy>(parseOrderBy(route.query.sort))
  const page = ref(parsePage(route.query.page))
  const apiQuery = () => ({
    query: query.value.trim() || undefined,
    orderBy: orderBy.value,
    limit: USERS_PAGE_SIZE,
    offset: (page.value - 1) * USERS_PAGE_SIZE,
  })

  const rows = shallowRef<ClerkUser[]>([])
  const totalCount = ref(0)
  /** HTTP status of the last failed list fetch (401/403/503 get their own screens); null when fine. */
  const errorStatus = ref<number | null>(null)
  const loading = ref(false)
  const flashes = reactive(new Map<string, RowFlash>())
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  // Per-row seq of the newest change applied; a snapshot's rows get the snapshot's seq.
  const rowSeq = new Map<string, number>()
  let snapshotSeq = 0
  // Events that arrive while a list fetch is in flight wait here, then go on top of its snapshot.
  let buffer: UserChangeEvent[] | null = null
  let generation = 0

  function setSnapshot(body: UserListResponse, seq: number) {
    rows.value = body.data
    totalCount.value = body.totalCount
    rowSeq.clear()
    for (const user of body.data) rowSeq.set(user.id, seq)
    snapshotSeq = seq
  }

  // The SSR fetch (cookies are forwarded by useFetch); its seq is unknown, so the first
  // socket connect refetches anyway.
  const initial = useFetch<UserListResponse>('/api/users', {
    key: `admin-users:${JSON.stringify(apiQuery())}`,
    query: apiQuery(),
    watch: false,
  })
  const ready = initial.then(({ data, error }) => {
    if (data.value) setSnapshot(data.value, 0)
    errorStatus.value = error.value ? httpStatus(error.value) || 500 : null
  })

  async function refresh() {
    const gen = ++generation
    buffer ??= []
    loading.value = true
    try {
      const res = await $fetch.raw<UserListResponse>('/api/users', { query: apiQuery() })
      if (gen !== generation) return
      setSnapshot(res._data ?? { data: [], totalCount: 0 }, Number(res.headers.get(STORE_SEQ_HEADER)) || 0)
      errorStatus.value = null
      // The window moved past the end (users were deleted while away): show the last page.
      if (!rows.value.length && page.value > 1 && totalCount.value > 0) {
        page.value = Math.ceil(totalCount.value / USERS_PAGE_SIZE)
      }
    }
    catch (error) {
      if (gen !== generation) return
      const status = httpStatus(error)
      if (status === 401) return navigateTo('/sign-in?redirect_url=/admin')
      if (status === 403 || status === 503) errorStatus.value = status
      else toast.add({ title: 'Could not load users', description: String((error as Error)?.message ?? error), color: 'error', icon: 'i-lucide-circle-alert' })
    }
    finally {
      if (gen === generation) {
        loading.value = false
        const pending = buffer ?? []
        buffer = null
        pending.forEach(apply)
      }
    }
  }

  function flash(id: string, kind: RowFlash, ms = FLASH_MS, then?: () => void) {
    clearTimeout(timers.get(id))
    flashes.set(id, kind)
    timers.set(id, setTimeout(() => {
      timers.delete(id)
      if (flashes.get(id) === kind) flashes.delete(id)
      then?.()
    }, ms))
  }

  function onUserEvent(event: UserChangeEvent) {
    if (buffer) buffer.push(event)
    else apply(event)
  }

  function apply(event: UserChangeEvent) {
    if (event.seq <= snapshotSeq) return // already part of the snapshot
    const id = event.data.id
    const index = rows.value.findIndex(u => u.id === id)
    if (index >= 0 && (event.seq <= (rowSeq.get(id) ?? 0) || flashes.get(id) === 'deleted')) return

    if (event.type === 'user.deleted') {
      if (index >= 0) {
        rowSeq.set(id, event.seq)
        totalCount.value = Math.max(0, totalCount.value - 1)
        flash(id, 'deleted', DELETE_LINGER_MS, () => removeRow(id))
      }
      // Off-page: without a search every stored user counts; with one we cannot tell.
      else if (!query.value.trim()) totalCount.value = Math.max(0, totalCount.value - 1)
      return
    }
    if (index >= 0) {
      const next = rows.value.slice()
      next[index] = event.data
      rows.value = next
      rowSeq.set(id, event.seq)
      flash(id, 'updated')
    }
    else if (event.type === 'user.created') {
      insertCreated(event.data, event.seq)
    }
    // An update to a user off this page changes nothing on screen: the table never jumps.
  }

  function insertCreated(user: ClerkUser, seq: number) {
    const keys = userSortKeys(user)
    if (!matchesQuery(keys, query.value)) return
    totalCount.value += 1
    const compare = compareUsersBy(orderBy.value)
    const list = rows.value
    let at = list.findIndex(row => compare(keys, userSortKeys(row)) < 0)
    if (at < 0) at = list.length
    const full = list.length >= USERS_PAGE_SIZE
    // Page 1 takes anything before its last row; later pages only what sorts strictly inside
    // them (before the first row it belongs to an earlier page). A page that is not full is the
    // last one, so the end of it is inside the window too.
    const inside = (page.value === 1 || at > 0) && (at < list.length || !full)
    if (!inside) return
    const next = list.slice()
    next.splice(at, 0, user)
    if (full) {
      const dropped = next.pop()
      if (dropped) rowSeq.delete(dropped.id)
    }
    rows.value = next
    rowSeq.set(user.id, seq)
    flash(user.id, 'created')
  }

  function removeRow(id: string) {
    rows.value = rows.value.filter(u => u.id !== id)
    rowSeq.delete(id)
  }

  // Search, sort and page live in the URL so a reload or a shared link shows the same window.
  watch([query, orderBy, page], () => {
    const q = query.value.trim()
    router.replace({
      query: {
        ...route.query,
        q: q || undefined,
        sort: orderBy.value === DEFAULT_ORDER_BY ? undefined : orderBy.value,
        page: page.value > 1 ? String(page.value) : undefined,
      },
    })
    refresh()
  })

  function setQuery(value: string) {
    if (value.trim() === query.value.trim()) return
    query.value = value
    page.value = 1
  }

  function setOrderBy(value: UserOrderBy) {
    orderBy.value = value
    page.value = 1
  }

  socket.onConnect(refresh)
  socket.onUserEvent(onUserEvent)
  onBeforeUnmount(() => timers.forEach(clearTimeout))

  return {
    ready,
    rows: computed(() => rows.value),
    totalCount: computed(() => totalCount.value),
    errorStatus: computed(() => errorStatus.value),
    loading: computed(() => loading.value),
    flashOf: (id: string): RowFlash | undefined => flashes.get(id),
    query: computed(() => query.value),
    orderBy: computed(() => orderBy.value),
    page,
    pageSize: USERS_PAGE_SIZE,
    setQuery,
    setOrderBy,
    refresh,
  }
}
