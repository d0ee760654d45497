import type { ClerkUser } from '#shared/types'

/** Only http(s) images: a `javascript:` or `data:` URL from a webhook never reaches an <img>. */
export function safeImageUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  }
  catch {
    return undefined
  }
}

/** The avatar to show: none when Clerk says the user has no image of their own (initials instead). */
export function avatarUrl(user: ClerkUser): string | undefined {
  return user.has_image === false ? undefined : safeImageUrl(user.image_url)
}

export function displayName(user: Pick<ClerkUser, 'first_name' | 'last_name' | 'username' | 'id'>): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim()
  return name || user.username || user.id
}

export function initials(user: ClerkUser): string {
  const source = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || primaryEmail(user) || '?'
  return source.split(/[\s@._-]+/).filter(Boolean).slice(0, 2).map(part => [...part][0]?.toUpperCase() ?? '').join('')
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/**
 * Epoch ms as `2025-06-01 14:03:07 UTC`. Fixed locale and zone, so the server-rendered
 * text and the hydrated text are identical (no hydration mismatch).
 */
export function formatTimestamp(ms: number | null | undefined, withSeconds = false): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—'
  const parts = Object.fromEntries(dateFormat.formatToParts(new Date(ms)).map(p => [p.type, p.value]))
  const time = withSeconds ? `${parts.hour}:${parts.minute}:${parts.second}` : `${parts.hour}:${parts.minute}`
  return `${parts.year}-${parts.month}-${parts.day} ${time} UTC`
}

export function isoTimestamp(ms: number | null | undefined): string | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}
