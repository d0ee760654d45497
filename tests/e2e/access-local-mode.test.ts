/**
 * Local mode exists only in `nuxt dev` (never in a build), so this file starts ONE `nuxt dev` with
 * no Clerk keys, its own buildDir and data dir, and proves the loopback-only rule on the API, the
 * page and the socket: a request naming a non-loopback host (Host, X-Forwarded-Host) or client
 * (X-Forwarded-For, Forwarded), as a tunnel's requests do, is refused. NUXT_DEV_ALLOWED_HOSTS lets
 * the tunnel host through Vite's own host check, exactly as the README tells ngrok users to do, so
 * the refusal comes from our rule.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, makeTempDir } from '../helpers/server'
import { makeUser, userEvent } from '../helpers/clerk-events'
import { sendWebhook } from '../helpers/webhooks'

const ROOT = resolve(import.meta.dirname, '../..')
const TUNNEL_HOST = 'abc123.ngrok-free.app'
const REFUSED = 'Local mode only answers loopback requests'

// `nuxt dev` through @nuxt/cli's public runCommand, with a buildDir of its own so a developer's
// running `nuxt dev` (and its .nuxt) is never touched. --dotenv points at no file: no developer .env.
// Written to a file, not passed with -e: Nitro's dev worker inherits execArgv (--input-type breaks it).
const DEV_SCRIPT = `
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
const [rootDir, buildDir, port] = process.argv.slice(2)
const require = createRequire(pathToFileURL(rootDir + '/package.json'))
const cli = await import(pathToFileURL(require.resolve('@nuxt/cli')).href)
await cli.runCommand('dev', [rootDir, '--port', port, '--host', '127.0.0.1', '--no-fork', '--dotenv', '.env.no-such-file'], { overrides: { buildDir } })
`

const TUNNEL_VARIANTS: Array<{ name: string, headers: Record<string, string> }> = [
  { name: 'Host of an ngrok tunnel', headers: { host: TUNNEL_HOST } },
  { name: 'X-Forwarded-Host (ngrok --host-header=rewrite)', headers: { 'x-forwarded-host': TUNNEL_HOST } },
  { name: 'X-Forwarded-For of a public client (cloudflared)', headers: { 'x-forwarded-for': '203.0.113.9' } },
  { name: 'Forwarded: for= a public client', headers: { forwarded: 'for=198.51.100.7;proto=https' } },
]

let child: ChildProcess | undefined
let output = ''
let baseUrl = ''
let storageBase = ''
const user = makeUser()
const email = String(user.email_addresses?.[0]?.email_address)

/** node:http, because fetch will not send a Host header of our choosing. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number, body: string, headers: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const req = request(`${baseUrl}${path}`, { headers: { accept: path.startsWith('/api/') ? 'application/json' : 'text/html', ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.setTimeout(240_000, () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', fail)
    req.end()
  })
}

type Handshake = { connected: boolean, message?: string, statusCode?: number }

function send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<string> {
  return new Promise((done, fail) => {
    const req = request(`${baseUrl}${path}`, { method, headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => done(text))
    })
    req.on('error', fail)
    req.end(body)
  })
}

/**
 * A socket.io handshake over long-polling spoken by hand (engine.io v4 packets), because Node's
 * polling client drops a custom Host header as "unsafe". 0 = engine open, 40 = connect to "/",
 * 40{sid} = connected, 44{message,data} = connect_error.
 */
async function pollingHandshake(headers: Record<string, string>): Promise<Handshake> {
  const open = await send('GET', '/socket.io/?EIO=4&transport=polling', headers)
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid
  await send('POST', `/socket.io/?EIO=4&transport=polling&sid=${sid}`, headers, '40')
  const reply = (await send('GET', `/socket.io/?EIO=4&transport=polling&sid=${sid}`, headers)).split('\x1e')[0]!
  if (reply.startsWith('40')) return { connected: true }
  if (!reply.startsWith('44')) throw new Error(`unexpected socket.io packet: ${reply.slice(0, 200)}`)
  const error = JSON.parse(reply.slice(2)) as { message: string, data?: { statusCode?: number } }
  return { connected: false, message: error.message, statusCode: error.data?.statusCode }
}

async function handshake(headers: Record<string, string>, transport: 'websocket' | 'polling'): Promise<Handshake> {
  if (transport === 'polling') return await pollingHandshake(headers)
  const socket = io(baseUrl, { path: '/socket.io/', transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true, timeout: 60_000 })
  try {
    return await new Promise<Handshake>((done) => {
      socket.once('connect', () => done({ connected: true }))
      socket.once('connect_error', (error: Error & { data?: { statusCode?: number } }) =>
        done({ connected: false, message: error.message, statusCode: error.data?.statusCode }))
    })
  }
  finally {
    socket.disconnect()
  }
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child?.exitCode !== null) throw new Error(`nuxt dev exited (${child?.exitCode}) before ${what}; output:\n${output.slice(-4000)}`)
    if (await Promise.resolve(check()).catch(() => false)) return
    await new Promise(done => setTimeout(done, 500))
  }
  throw new Error(`nuxt dev: ${what} not reached in ${timeoutMs} ms; output:\n${output.slice(-4000)}`)
}

beforeAll(async () => {
  const work = makeTempDir('clerk-local-mode-')
  storageBase = join(work, 'data')
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    NUXT_TELEMETRY_DISABLED: '1',
    NUXT_STORAGE_BASE: storageBase,
    NUXT_DEV_ALLOWED_HOSTS: TUNNEL_HOST,
  }
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key]!
  const script = join(work, 'nuxt-dev.mjs')
  writeFileSync(script, DEV_SCRIPT)
  child = spawn(process.execPath, [script, ROOT, join(work, 'build'), String(port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })

  await waitUntil('GET /api/health = 200', async () => (await get('/api/health')).status === 200, 200_000)
  const secretFile = join(storageBase, 'local-webhook-secret')
  await waitUntil('the local signing secret', () => existsSync(secretFile), 30_000)
  const delivered = await sendWebhook(baseUrl, userEvent('user.created', user), { secret: readFileSync(secretFile, 'utf8').trim() })
  expect(delivered.status).toBe(200)
  // Compile the admin page once before the timed tests (the first SSR in dev is slow).
  await get('/admin')
}, 600_000) // one dev server: Vite and Nitro compile everything on first use, slow on a busy 2-core machine

afterAll(async () => {
  const proc = child
  if (!proc || proc.exitCode !== null) return
  const exited = new Promise(done => proc.once('exit', done))
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
})

describe('local mode (nuxt dev, no Clerk keys): loopback only', { timeout: 240_000 }, () => {
  describe('read API', () => {
    it('answers this machine', async () => {
      for (const path of ['/api/users', `/api/users/${user.id}`]) {
        const response = await get(path)
        expect(response.status, path).toBe(200)
        expect(response.body, path).toContain(user.id)
      }
      const deliveries = await get('/api/deliveries')
      expect(deliveries.status).toBe(200)
      expect(JSON.parse(deliveries.body).data.length).toBeGreaterThan(0)
    })

    it.each(TUNNEL_VARIANTS)('refuses $name', async ({ headers }) => {
      for (const path of ['/api/users', '/api/deliveries', `/api/users/${user.id}`]) {
        const response = await get(path, headers)
        expect(response.status, path).toBe(403)
        expect(JSON.parse(response.body)).toMatchObject({ statusCode: 403, message: REFUSED })
        expect(response.body).not.toContain(email)
      }
    })
  })

  describe('admin page', () => {
    it('renders the users for this machine', async () => {
      const response = await get('/admin')
      expect(response.status).toBe(200)
      expect(response.body).toContain('data-testid="users-table"')
      expect(response.body).toContain(email)
    })

    it.each(TUNNEL_VARIANTS)('shows no user data to $name', async ({ headers }) => {
      const response = await get('/admin', headers)
      expect(response.status).toBe(403)
      expect(response.body).not.toContain(email)
      expect(response.body).not.toContain(user.id)
      expect(response.body).not.toContain('data-testid="users-table"')
    })

    it('carries a page policy with no third-party script, frame or connection (no Clerk in local mode), relaxed for Vite only', async () => {
      const csp = String((await get('/admin')).headers['content-security-policy'])
      expect(csp).toContain("frame-ancestors 'none'")
      // Stored users' avatars live on img.clerk.com; nothing else from outside is allowed.
      expect(csp.replace(/img-src [^;]*/, '')).not.toMatch(/https:/)
      expect(csp).toMatch(/script-src [^;]*'unsafe-eval'/)
    })

    it('the sign-in page says no sign-in is needed and links to /admin', async () => {
      const response = await get('/sign-in')
      expect(response.body).toContain('data-testid="sign-in-local-mode"')
      expect(response.body).toContain('href="/admin"')
      expect(response.body).not.toMatch(/clerk\.accounts\.dev|clerk-js/)
    })
  })

  describe('socket handshake', () => {
    it.each(['websocket', 'polling'] as const)('connects from this machine (%s)', async (transport) => {
      expect(await handshake({}, transport)).toEqual({ connected: true })
    })

    it.each(TUNNEL_VARIANTS)('refuses $name', async ({ headers }) => {
      for (const transport of ['websocket', 'polling'] as const) {
        expect(await handshake(headers, transport), transport).toEqual({ connected: false, message: REFUSED, statusCode: 403 })
      }
    })
  })

  it('ran with no Clerk at all: no Clerk errors in the dev server output', () => {
    expect(output).toMatch(/\[local mode\]/)
    expect(output).not.toMatch(/Clerk is not configured|@clerk\/(nuxt|vue|backend).*(Error|error)|Missing publishableKey/)
  })
})
