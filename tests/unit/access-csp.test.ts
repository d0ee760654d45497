import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { contentSecurityPolicy, inlineScriptHashes, isPagePath } from '../../server/utils/security-policy'

const directives = (policy: string) => Object.fromEntries(policy.split('; ').map((d) => {
  const [name, ...sources] = d.split(' ')
  return [name, sources]
}))

describe('contentSecurityPolicy', () => {
  const dev = `pk_test_${Buffer.from('happy-hen-42.clerk.accounts.dev$').toString('base64')}`
  const live = `pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`

  it('allows the Frontend API from the publishable key, Turnstile and Clerk images', () => {
    const csp = directives(contentSecurityPolicy({ publishableKey: live }))
    expect(csp['script-src']).toEqual(["'self'", "'unsafe-inline'", 'https://clerk.example.com', 'https://challenges.cloudflare.com'])
    expect(csp['connect-src']).toEqual(["'self'", 'https://clerk.example.com'])
    expect(csp['frame-src']).toEqual(['https://challenges.cloudflare.com'])
    expect(csp['img-src']).toContain('https://img.clerk.com')
    expect(csp['worker-src']).toEqual(["'self'", 'blob:'])
    expect(csp['frame-ancestors']).toEqual(["'none'"])
    expect(csp['object-src']).toEqual(["'none'"])
  })

  it('adds *.clerk.accounts.dev only for development instances', () => {
    expect(directives(contentSecurityPolicy({ publishableKey: dev }))['script-src']).toContain('https://*.clerk.accounts.dev')
    expect(contentSecurityPolicy({ publishableKey: live })).not.toContain('accounts.dev')
  })

  it('without Clerk (local mode) runs, frames and connects to no third party; only avatars load from img.clerk.com', () => {
    const csp = directives(contentSecurityPolicy({ publishableKey: '' }))
    for (const name of ['script-src', 'connect-src', 'frame-src', 'default-src']) {
      expect(csp[name]!.join(' '), name).not.toMatch(/https:/)
    }
    expect(csp['frame-src']).toEqual(["'none'"])
    expect(csp['img-src']).toContain('https://img.clerk.com')
  })

  it('relaxes eval and websockets only for nuxt dev', () => {
    expect(contentSecurityPolicy({ publishableKey: live })).not.toMatch(/unsafe-eval|ws:/)
    const csp = directives(contentSecurityPolicy({ publishableKey: live, dev: true }))
    expect(csp['script-src']).toContain("'unsafe-eval'")
    expect(csp['connect-src']).toEqual(expect.arrayContaining(['ws:', 'wss:']))
  })

  it('a crafted publishable key cannot inject sources', () => {
    const evil = `pk_live_${Buffer.from("x.com 'unsafe-eval' *; script-src *$").toString('base64')}`
    expect(contentSecurityPolicy({ publishableKey: evil })).not.toMatch(/\*;|x\.com/)
  })
})

describe('isPagePath', () => {
  it.each(['/', '/admin', '/admin?x=1', '/sign-in/factor-one', '/__nuxt_error?statusCode=403', '/apiary'])('%s is a page', p => expect(isPagePath(p)).toBe(true))
  it.each(['/api/users', '/api', '/socket.io/?EIO=4', '/_nuxt/entry.js'])('%s is not', p => expect(isPagePath(p)).toBe(false))
})

describe('inline script hashes (rendered pages)', () => {
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const html = [
    '<html><head><script>window.__NUXT__={};window.__NUXT__.config={public:{}}</script>',
    '<script type="module" src="/_nuxt/entry.js" crossorigin></script>',
    '<script type="application/json" data-nuxt-data="nuxt-app" id="__NUXT_DATA__">[{"a":1}]</script>',
    '<SCRIPT type="module">import("/_nuxt/x.js")</SCRIPT>',
    '<script>window.__NUXT__={};window.__NUXT__.config={public:{}}</script></head></html>',
  ].join('')

  it('hashes each executable inline script once, skipping src= and JSON blocks', () => {
    expect(inlineScriptHashes(html)).toEqual([sha('window.__NUXT__={};window.__NUXT__.config={public:{}}'), sha('import("/_nuxt/x.js")')])
  })

  it('a rendered page allows its scripts by hash, not every inline script', () => {
    const hashes = inlineScriptHashes(html)
    const csp = directives(contentSecurityPolicy({ publishableKey: '', scriptHashes: hashes }))
    expect(csp['script-src']).toEqual(["'self'", ...hashes])
    expect(csp['script-src']).not.toContain("'unsafe-inline'")
  })

  it('nuxt dev keeps unsafe-inline (Vite injects scripts)', () => {
    expect(directives(contentSecurityPolicy({ dev: true, scriptHashes: ["'sha256-x'"] }))['script-src']).toEqual(["'self'", "'unsafe-inline'", "'unsafe-eval'"])
  })
})
