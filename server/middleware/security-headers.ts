import { contentSecurityPolicy, inlineScriptHashes, isPagePath } from '../utils/security-policy'

// The publishable key does not change while the server runs.
const publishableKey = () => String(useRuntimeConfig().public?.clerk?.publishableKey ?? '')
let fallbackPolicy: string | undefined
let renderHookInstalled = false

/**
 * Nuxt's renderer is the only place that sees the page HTML, so rendered pages get a policy that
 * allows exactly their inline scripts by hash (installed once, on the first request, before any render).
 */
function installRenderHook(): void {
  renderHookInstalled = true
  if (import.meta.dev) return
  useNitroApp().hooks.hook('render:response', (response) => {
    if (typeof response.body !== 'string') return
    response.headers = {
      ...response.headers,
      'content-security-policy': contentSecurityPolicy({ publishableKey: publishableKey(), scriptHashes: inlineScriptHashes(response.body) }),
    }
  })
}

export default defineEventHandler((event) => {
  if (!renderHookInstalled) installRenderHook()
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  setResponseHeader(event, 'Referrer-Policy', 'strict-origin-when-cross-origin')
  if (!isPagePath(event.path)) return

  fallbackPolicy ??= contentSecurityPolicy({ publishableKey: publishableKey(), dev: import.meta.dev })
  setResponseHeader(event, 'Content-Security-Policy', fallbackPolicy)
  // For browsers that predate frame-ancestors; /admin (user data) must never be framed.
  setResponseHeader(event, 'X-Frame-Options', 'DENY')
})
