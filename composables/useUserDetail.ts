import { STORE_SEQ_HEADER } from '#shared/types'
import type { ClerkUser, UserChangeEvent } from '#shared/types'
import type { AdminSocketHandle } from './useAdminSocket'

/**
 * The user open in the detail slideover, kept live by the same socket as the table
 * (it may be a user who is not on the current page), refetched on every reconnect.
 */
export function useUserDetail(socket: AdminSocketHandle) {
  const userId = ref<string | null>(null)
  const user = shallowRef<ClerkUser | null>(null)
  const deleted = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)

  let seq = 0
  let buffer: UserChangeEvent[] | null = null
  let generation = 0

  async function load() {
    const id = userId.value
    if (!id) return
    const gen = ++generation
    buffer ??= []
    loading.value = true
    try {
      const res = await $fetch.raw<ClerkUser>(`/api/users/${encodeURIComponent(id)}`)
      if (gen !== generation) return
      user.value = res._data ?? null
      seq = Number(res.headers.get(STORE_SEQ_HEADER)) || 0
      error.value = null
    }
    catch (err) {
      if (gen !== generation) return
      const status = (err as { statusCode?: number })?.statusCode
      if (status === 404) deleted.value = true
      else error.value = (err as Error)?.message ?? String(err)
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

  function apply(event: UserChangeEvent) {
    if (!userId.value || event.data.id !== userId.value || deleted.value) return
    if (seq && event.seq <= seq) return
    if (event.type === 'user.deleted') {
      deleted.value = true
    }
    else {
      // Without a seq for the fetched copy, never let an older state replace a newer one.
      if (!seq && user.value && event.data.updated_at < user.value.updated_at) return
      user.value = event.data
    }
    seq = event.seq
  }

  /** Opens a user; `known` (the table's row) shows at once while the fresh copy loads. */
  function open(id: string, known?: ClerkUser) {
    userId.value = id
    user.value = known ?? null
    deleted.value = false
    error.value = null
    seq = 0
    load()
  }

  function close() {
    userId.value = null
    generation++
  }

  socket.onConnect(load)
  socket.onUserEvent(event => buffer ? buffer.push(event) : apply(event))

  return {
    userId: computed(() => userId.value),
    user: computed(() => user.value),
    deleted: computed(() => deleted.value),
    loading: computed(() => loading.value),
    error: computed(() => error.value),
    open,
    close,
  }
}
