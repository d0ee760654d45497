import { BlockList, isIP } from 'node:net'

/**
 * Pure rules for local mode ("loopback only"). No Nitro imports, so vitest can test them directly.
 * A tunnel (ngrok, cloudflared, a reverse proxy) forwards to localhost, so the peer address alone
 * proves nothing: the request must also *name* a loopback host and carry no non-loopback client.
 */

export type HeaderBag = Record<string, string | string[] | undefined>

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4') // also matches ::ffff:127.x.x.x (BlockList maps IPv4-mapped IPv6)
LOOPBACK.addAddress('::1', 'ipv6')

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * An address as written in X-Forwarded-For / Forwarded / a socket: strips quotes, brackets,
 * a port and an IPv6 zone. Returns a plain IP, or null for anything else ("unknown", "_hidden", junk).
 */
export function normalizeIpAddress(raw: string | null | undefined): string | null {
  if (!raw) return null
  let value = raw.trim().replace(/^"(.*)"$/, '$1').trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value)
  if (bracketed) value = bracketed[1]!
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'))
  value = value.replace(/%[\w.-]+$/, '')
  return isIP(value) ? value.toLowerCase() : null
}

export function isLoopbackAddress(raw: string | null | undefined): boolean {
  const ip = normalizeIpAddress(raw)
  if (!ip) return false
  return LOOPBACK.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')
}

/** `localhost`, `127.0.0.1` or `[::1]`, any port, any case. Nothing else (not even other 127.x names). */
export function isLoopbackHost(raw: string | null | undefined): boolean {
  if (!raw) return false
  const value = raw.trim().replace(/^"(.*)"$/, '$1').toLowerCase()
  const host = value.startsWith('[') ? value.replace(/^(\[[^\]]*\])(?::\d+)?$/, '$1') : value.replace(/:\d+$/, '')
  return LOOPBACK_HOSTNAMES.has(host)
}

/** Every value of a header (Node joins repeated headers with ", "; arrays come from raw access). */
export function requestHeaderValues(headers: HeaderBag, name: string): string[] {
  const value = headers[name.toLowerCase()]
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** Comma-separated list headers (X-Forwarded-For, X-Forwarded-Host): every entry, in order. */
export function requestHeaderList(headers: HeaderBag, name: string): string[] {
  return requestHeaderValues(headers, name).flatMap(value => value.split(',')).map(part => part.trim()).filter(Boolean)
}

export interface ForwardedElement {
  for?: string
  host?: string
  proto?: string
  by?: string
}

/** RFC 7239 `Forwarded: for=1.2.3.4;host=example.com, for="[::1]:80"` into its elements. */
export function parseForwardedHeader(headers: HeaderBag): ForwardedElement[] {
  const elements: ForwardedElement[] = []
  for (const value of requestHeaderValues(headers, 'forwarded')) {
    // Split on commas and semicolons outside quoted strings.
    for (const element of value.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
      const parsed: ForwardedElement = {}
      for (const pair of element.match(/(?:[^;"]|"[^"]*")+/g) ?? []) {
        const eq = pair.indexOf('=')
        if (eq < 0) continue
        const key = pair.slice(0, eq).trim().toLowerCase()
        const raw = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
        if (key === 'for' || key === 'host' || key === 'proto' || key === 'by') parsed[key] = raw
      }
      elements.push(parsed)
    }
  }
  return elements
}

/** Headers some proxies and tunnels use instead of (or besides) X-Forwarded-For. */
const SINGLE_CLIENT_HEADERS = ['x-real-ip', 'cf-connecting-ip', 'true-client-ip', 'x-client-ip', 'fastly-client-ip']

/**
 * Why a request is not a purely local one, or null when it is. `remoteAddress` may be absent
 * when the server listens on a unix socket (a local-only transport); then the forwarded headers
 * (which `nuxt dev`'s proxy always sets) still have to be loopback.
 */
export function localRequestProblem(req: { headers: HeaderBag, remoteAddress?: string | null }): string | null {
  const { headers } = req
  const hosts = requestHeaderValues(headers, 'host')
  if (hosts.length === 0 || !hosts.every(isLoopbackHost)) return 'host'
  if (!requestHeaderList(headers, 'x-forwarded-host').every(isLoopbackHost)) return 'x-forwarded-host'
  if (req.remoteAddress && !isLoopbackAddress(req.remoteAddress)) return 'peer'
  if (!requestHeaderList(headers, 'x-forwarded-for').every(isLoopbackAddress)) return 'x-forwarded-for'
  for (const element of parseForwardedHeader(headers)) {
    if (element.for !== undefined && !isLoopbackAddress(element.for)) return 'forwarded'
    if (element.host !== undefined && !isLoopbackHost(element.host)) return 'forwarded'
  }
  for (const name of SINGLE_CLIENT_HEADERS) {
    if (!requestHeaderList(headers, name).every(isLoopbackAddress)) return name
  }
  return null
}
