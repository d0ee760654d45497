import { describe, expect, it } from 'vitest'
import { ipInAllowlist, parseIpAllowlist, parseTrustProxy, pickClientAddress } from '../../server/utils/ip-allowlist'

describe('parseIpAllowlist / ipInAllowlist (NUXT_WEBHOOK_ALLOWED_IPS)', () => {
  // Shaped like Svix's published egress list: single addresses and ranges, commas and spaces.
  const allowlist = parseIpAllowlist('44.228.126.217, 50.112.21.217 52.24.126.164/32,3.223.180.0/24 2001:db8:1::/48, ::ffff:198.51.100.0/120')

  it('keeps every valid entry', () => {
    expect(allowlist.invalid).toEqual([])
    expect(allowlist.entries).toHaveLength(6)
  })

  it.each([
    ['44.228.126.217', true],
    ['50.112.21.217', true],
    ['52.24.126.164', true],
    ['52.24.126.165', false],
    ['3.223.180.0', true],
    ['3.223.180.255', true],
    ['3.223.181.1', false],
    ['::ffff:3.223.180.7', true], // IPv4-mapped (a dual-stack socket) matches the IPv4 range
    ['2001:db8:1:ffff::9', true],
    ['2001:db8:2::9', false],
    ['[2001:db8:1::1]:443', true],
    ['127.0.0.1', false],
    ['garbage', false],
    [null, false],
  ])('%s -> %s', (address, allowed) => expect(ipInAllowlist(allowlist, address)).toBe(allowed))

  it('reports entries that do not parse, and they allow nothing', () => {
    const parsed = parseIpAllowlist('10.0.0.0/8, 10.0.0.0/33, nope, 1.2.3.4/24/1, 2001:db8::/129, 1.2.3.4/x')
    expect(parsed.entries).toEqual(['10.0.0.0/8'])
    expect(parsed.invalid).toEqual(['10.0.0.0/33', 'nope', '1.2.3.4/24/1', '2001:db8::/129', '1.2.3.4/x'])
    expect(ipInAllowlist(parsed, '10.9.9.9')).toBe(true)
    expect(ipInAllowlist(parsed, '1.2.3.4')).toBe(false)
  })

  it('an empty list allows nothing (the caller treats "unset" as off)', () => {
    expect(ipInAllowlist(parseIpAllowlist(''), '1.2.3.4')).toBe(false)
  })
})

describe('parseTrustProxy', () => {
  it.each([[undefined, 0], ['', 0], ['0', 0], ['1', 1], [2, 2], [' 3 ', 3], ['true', 0], ['-1', 0], ['1.5', 0], ['999', 0]])(
    '%j -> %d', (value, hops) => expect(parseTrustProxy(value)).toBe(hops),
  )
})

describe('pickClientAddress (hops from the right of X-Forwarded-For + peer)', () => {
  const peer = '10.0.0.2' // the proxy in front of us

  it('without trusted proxies it is the peer, whatever X-Forwarded-For says', () => {
    expect(pickClientAddress(peer, ['203.0.113.9'], 0)).toBe('10.0.0.2')
  })
  it('one proxy: the last entry it appended', () => {
    expect(pickClientAddress(peer, ['6.6.6.6', '203.0.113.9'], 1)).toBe('203.0.113.9')
  })
  it('two proxies (CDN then load balancer)', () => {
    expect(pickClientAddress(peer, ['6.6.6.6', '203.0.113.9', '198.51.100.1'], 2)).toBe('203.0.113.9')
  })
  it('a spoofed entry left of the trusted ones is never chosen', () => {
    expect(pickClientAddress(peer, ['44.228.126.217', '203.0.113.9'], 1)).toBe('203.0.113.9')
  })
  it('a short chain falls back to the leftmost entry', () => {
    expect(pickClientAddress(peer, ['203.0.113.9'], 3)).toBe('203.0.113.9')
    expect(pickClientAddress(peer, [], 1)).toBe('10.0.0.2')
  })
  it('normalizes ports and IPv6 brackets, and rejects junk', () => {
    expect(pickClientAddress('::ffff:10.0.0.2', ['[2001:db8::7]:1234'], 1)).toBe('2001:db8::7')
    expect(pickClientAddress(peer, ['unknown'], 1)).toBeNull()
    expect(pickClientAddress(undefined, [], 0)).toBeNull()
  })
})
