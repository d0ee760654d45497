import type { H3Event } from 'h3'
import { ipInAllowlist, parseIpAllowlist, parseTrustProxy, pickClientAddress, type IpAllowlist } from './ip-allowlist'
import { requestHeaderList } from './loopback'

/**
 * The client's address: the TCP peer, or with NUXT_TRUST_PROXY=N the address N hops from the
 * right of X-Forwarded-For (each trusted proxy appends one). Without it X-Forwarded-For is ignored:
 * anyone can send one.
 */
export function clientAddress(event: H3Event): string | null {
  const req = event.node.req
  const hops = parseTrustProxy(useRuntimeConfig().trustProxy)
  const forwardedFor = hops > 0 ? requestHeaderList(req.headers, 'x-forwarded-for') : []
  return pickClientAddress(req.socket?.remoteAddress, forwardedFor, hops)
}

let allowlistCache: { raw: string, allowlist: IpAllowlist } | undefined
function webhookAllowlist(): IpAllowlist | null {
  const raw = String(useRuntimeConfig().webhookAllowedIps ?? '').trim()
  if (!raw) return null
  if (allowlistCache?.raw !== raw) allowlistCache = { raw, allowlist: parseIpAllowlist(raw) }
  return allowlistCache.allowlist
}

/** NUXT_WEBHOOK_ALLOWED_IPS (CIDR list): true when unset (off by default) or the client is inside. */
export function webhookIpAllowed(event: H3Event): boolean {
  const allowlist = webhookAllowlist()
  if (!allowlist) return true
  return ipInAllowlist(allowlist, clientAddress(event))
}

/** For the startup log: entries of NUXT_WEBHOOK_ALLOWED_IPS that allow nothing because they do not parse. */
export function webhookIpConfigProblem(): string | null {
  const allowlist = webhookAllowlist()
  if (!allowlist?.invalid.length) return null
  const shown = allowlist.invalid.slice(0, 5).map(entry => JSON.stringify(entry.slice(0, 60))).join(', ')
  return `NUXT_WEBHOOK_ALLOWED_IPS has entries that are not IPs or CIDR ranges and allow nothing: ${shown}`
}
