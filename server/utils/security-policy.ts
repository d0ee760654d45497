import { createHash } from 'node:crypto'
import { parseClerkPublishableKey } from './access-rules'

/**
 * Pure: the Content-Security-Policy for HTML pages. Clerk needs its Frontend API (clerk-js and its
 * API calls), Cloudflare Turnstile (bot protection: script and frame), img.clerk.com (avatars),
 * blob: workers and inline styles (CSS-in-JS). https://clerk.com/docs/guides/secure/best-practices/csp-headers
 * Nuxt needs inline styles and two inline scripts per page (color mode, window.__NUXT__.config):
 * rendered pages allow exactly those by hash; 'unsafe-inline' is only the fallback for responses
 * that were not rendered by Nuxt (no hashes known) and for `nuxt dev`. Nuxt UI's icons are CSS masks with data: URLs (img-src).
 */
export interface PagePolicyOptions {
  publishableKey?: string | null
  /** `nuxt dev`: Vite's HMR websocket and eval-based source maps. Never true in a build. */
  dev?: boolean
  /** `'sha256-...'` of each inline script of the rendered page (see inlineScriptHashes). */
  scriptHashes?: string[]
}

export function contentSecurityPolicy(options: PagePolicyOptions): string {
  const clerk = parseClerkPublishableKey(options.publishableKey)
  const frontendApi = clerk ? [`https://${clerk.frontendApi}`] : []
  // Development instances also redirect through *.clerk.accounts.dev (accounts portal, dev browser).
  const devInstance = clerk?.instanceType === 'development' ? ['https://*.clerk.accounts.dev'] : []
  const turnstile = clerk ? ['https://challenges.cloudflare.com'] : []
  // Avatars in stored users point at img.clerk.com whether or not sign-in is configured (local mode too).
  const clerkImages = ['https://img.clerk.com']
  // Vite injects its own inline scripts in dev; a rendered production page is allowed its exact ones.
  const inlineScripts = options.dev || !options.scriptHashes ? ["'unsafe-inline'"] : options.scriptHashes

  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...inlineScripts, ...(options.dev ? ["'unsafe-eval'"] : []), ...frontendApi, ...devInstance, ...turnstile],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...clerkImages],
    'font-src': ["'self'", 'data:'],
    // 'self' covers ws:/wss: to this origin (socket.io); Vite's HMR may use another port in dev.
    'connect-src': ["'self'", ...(options.dev ? ['ws:', 'wss:'] : []), ...frontendApi, ...devInstance],
    'frame-src': [...turnstile],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    // No page of this app is meant to be framed; the admin page must never be (clickjacking).
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.length ? sources.join(' ') : "'none'"}`)
    .join('; ')
}

/** Paths that are not HTML pages: APIs, the socket and hashed build assets get no CSP. */
export function isPagePath(path: string): boolean {
  return !/^\/(api|socket\.io|_nuxt)(\/|$|\?)/.test(path)
}

/** Hashes of the executable inline scripts of an HTML page (not `src=` ones, not JSON data blocks). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? ''
    if (/\ssrc\s*=/i.test(attributes)) continue
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase()
    if (type && !['module', 'text/javascript', 'application/javascript'].includes(type)) continue
    hashes.add(`'sha256-${createHash('sha256').update(match[2] ?? '', 'utf8').digest('base64')}'`)
  }
  return [...hashes]
}
