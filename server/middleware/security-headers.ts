import { contentSecurityPolicy, isPagePath } from '../utils/security-policy'

// Built once per process: the publishable key does not change while the server runs.
let pagePolicy: string | undefined

export default defineEventHandler((event) => {
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  setResponseHeader(event, 'Referrer-Policy', 'strict-origin-when-cross-origin')
  if (!isPagePath(event.path)) return

  pagePolicy ??= contentSecurityPolicy({
    publishableKey: String(useRuntimeConfig().public?.clerk?.publishableKey ?? ''),
    dev: import.meta.dev,
  })
  setResponseHeader(event, 'Content-Security-Policy', pagePolicy)
  // For browsers that predate frame-ancestors; /admin (user data) must never be framed.
  setResponseHeader(event, 'X-Frame-Options', 'DENY')
})
