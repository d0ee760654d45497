import { BlockList, isIP } from 'node:net'
import { normalizeIpAddress } from './loopback'

/** Pure rules behind NUXT_WEBHOOK_ALLOWED_IPS and NUXT_TRUST_PROXY (no Nitro imports). */

export interface IpAllowlist {
  list: BlockList
  /** Entries that parsed (as written), for messages. */
  entries: string[]
  /** Entries that did not parse: they allow nothing. */
  invalid: string[]
}

/** `3.223.180.0/24, 2001:db8::/32 1.2.3.4` (commas or spaces) into a BlockList of IPv4 and IPv6 ranges. */
export function parseIpAllowlist(value: unknown): IpAllowlist {
  const list = new BlockList()
  const entries: string[] = []
  const invalid: string[] = []
  const items = String(value ?? '').split(/[\s,]+/).map(item => item.trim()).filter(Boolean)
  for (const item of items) {
    const [rawAddress = '', prefixText, extra] = item.split('/')
    const address = normalizeIpAddress(rawAddress)
    const family = address ? isIP(address) : 0
    const maxPrefix = family === 6 ? 128 : 32
    const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1
    if (!address || extra !== undefined || prefix < 0 || prefix > maxPrefix) {
      invalid.push(item)
      continue
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4')
    entries.push(item)
  }
  return { list, entries, invalid }
}

export function ipInAllowlist(allowlist: IpAllowlist, address: string | null | undefined): boolean {
  const ip = normalizeIpAddress(address)
  if (!ip) return false
  return allowlist.list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')
}

/** NUXT_TRUST_PROXY: how many proxies in front of the server append to X-Forwarded-For. Anything but a whole number is 0. */
export function parseTrustProxy(value: unknown): number {
  const text = String(value ?? '').trim()
  return /^\d{1,2}$/.test(text) ? Number(text) : 0
}

/**
 * The client address when `hops` trusted proxies sit in front of this server. Each proxy appends
 * the address it received the request from, so the client is `hops` entries from the right of
 * [...X-Forwarded-For, peer]. Entries further left were written by the client and are never used.
 * When the chain is shorter than expected (a request that skipped a proxy), the leftmost entry
 * is the best answer there is, as Express does with a hop count.
 */
export function pickClientAddress(peer: string | null | undefined, forwardedFor: string[], hops: number): string | null {
  const chain = [...forwardedFor, peer ?? '']
  const index = Math.max(0, chain.length - 1 - hops)
  return normalizeIpAddress(chain[index])
}
