import { describe, expect, it } from 'vitest'
import {
  isLoopbackAddress,
  isLoopbackHost,
  localRequestProblem,
  normalizeIpAddress,
  parseForwardedHeader,
} from '../../server/utils/loopback'

describe('normalizeIpAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['10.0.0.1:5678', '10.0.0.1'],
    ['[::1]', '::1'],
    ['[::1]:3000', '::1'],
    ['"[2001:DB8::1]:443"', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
  ])('%s -> %s', (raw, ip) => expect(normalizeIpAddress(raw)).toBe(ip))

  it.each(['unknown', '_hidden', '', 'localhost', '1.2.3', '1.2.3.4.5', '::1:80:zz'])('rejects %j', (raw) => {
    expect(normalizeIpAddress(raw)).toBeNull()
  })
})

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:2', '[::1]:80'])(
    '%s is loopback', address => expect(isLoopbackAddress(address)).toBe(true),
  )
  it.each(['10.0.0.1', '192.168.1.1', '::', '0.0.0.0', '::ffff:10.0.0.1', '2001:db8::1', '128.0.0.1', 'unknown', '', null, undefined])(
    '%s is not', address => expect(isLoopbackAddress(address)).toBe(false),
  )
})

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST:3000', '127.0.0.1', '127.0.0.1:8080', '[::1]', '[::1]:3000'])(
    '%s names this machine', host => expect(isLoopbackHost(host)).toBe(true),
  )
  it.each([
    'abc123.ngrok-free.app', 'example.trycloudflare.com', 'localhost.evil.com', 'evil.com:localhost',
    '127.0.0.2', '::1', '[::2]', '0.0.0.0:3000', '10.0.0.5:3000', '', undefined,
  ])('%s does not', host => expect(isLoopbackHost(host)).toBe(false))
})

describe('parseForwardedHeader', () => {
  it('reads every element, quoted values and IPv6 with ports', () => {
    expect(parseForwardedHeader({ forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711";host="a.example"' }))
      .toEqual([
        { for: '192.0.2.60', proto: 'http', by: '203.0.113.43' },
        { for: '[2001:db8:cafe::17]:4711', host: 'a.example' },
      ])
  })
  it('handles repeated headers and case', () => {
    expect(parseForwardedHeader({ forwarded: ['For=127.0.0.1', 'for=10.0.0.1'] })).toEqual([{ for: '127.0.0.1' }, { for: '10.0.0.1' }])
  })
})

describe('localRequestProblem (local mode: loopback only)', () => {
  const local = { host: 'localhost:3000' }
  const peer = '127.0.0.1'

  it('accepts a browser on this machine, direct or through nuxt dev\'s proxy', () => {
    expect(localRequestProblem({ headers: local, remoteAddress: peer })).toBeNull()
    expect(localRequestProblem({ headers: { host: '[::1]:3000' }, remoteAddress: '::1' })).toBeNull()
    expect(localRequestProblem({ headers: { host: '127.0.0.1:3000' }, remoteAddress: '::ffff:127.0.0.1' })).toBeNull()
    expect(localRequestProblem({
      headers: { ...local, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-host': 'localhost:3000', 'x-forwarded-proto': 'http', 'x-forwarded-port': '3000' },
      remoteAddress: peer,
    })).toBeNull()
    expect(localRequestProblem({ headers: { ...local, forwarded: 'for="[::1]:5555";host=localhost:3000' }, remoteAddress: peer })).toBeNull()
  })

  it('accepts a unix-socket peer (no address) when every forwarded address is loopback', () => {
    expect(localRequestProblem({ headers: { ...local, 'x-forwarded-for': '::1' }, remoteAddress: undefined })).toBeNull()
  })

  it.each([
    ['no Host at all', {}, 'host'],
    ['ngrok: public Host', { host: 'abc123.ngrok-free.app' }, 'host'],
    ['ngrok --host-header=rewrite: X-Forwarded-Host', { ...local, 'x-forwarded-host': 'abc123.ngrok-free.app' }, 'x-forwarded-host'],
    ['a later X-Forwarded-Host entry', { ...local, 'x-forwarded-host': 'localhost:3000, evil.example' }, 'x-forwarded-host'],
    ['cloudflared: real client in X-Forwarded-For', { ...local, 'x-forwarded-for': '203.0.113.9' }, 'x-forwarded-for'],
    ['spoofed chain ending in loopback', { ...local, 'x-forwarded-for': '203.0.113.9, 127.0.0.1' }, 'x-forwarded-for'],
    ['X-Forwarded-For "unknown"', { ...local, 'x-forwarded-for': 'unknown' }, 'x-forwarded-for'],
    ['repeated X-Forwarded-For headers', { ...local, 'x-forwarded-for': ['127.0.0.1', '198.51.100.1'] }, 'x-forwarded-for'],
    ['Forwarded for= a public client', { ...local, forwarded: 'for=198.51.100.7;proto=https' }, 'forwarded'],
    ['Forwarded for= obfuscated', { ...local, forwarded: 'for=_hidden' }, 'forwarded'],
    ['Forwarded host= public', { ...local, forwarded: 'for=127.0.0.1;host=abc.trycloudflare.com' }, 'forwarded'],
    ['Cloudflare CF-Connecting-IP', { ...local, 'cf-connecting-ip': '2001:db8::5' }, 'cf-connecting-ip'],
    ['X-Real-IP', { ...local, 'x-real-ip': '192.168.1.20' }, 'x-real-ip'],
  ])('refuses %s', (_label, headers, reason) => {
    expect(localRequestProblem({ headers: headers as Record<string, string>, remoteAddress: peer })).toBe(reason)
  })

  it('refuses a LAN peer even with loopback headers (nuxt dev --host)', () => {
    expect(localRequestProblem({ headers: { ...local, 'x-forwarded-for': '127.0.0.1' }, remoteAddress: '192.168.1.20' })).toBe('peer')
  })
})
