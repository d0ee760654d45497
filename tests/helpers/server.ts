/**
 * Start the production build (made once by tests/setup/global-e2e.ts) as a real child process.
 *
 *   const server = await startServer()                       // fresh data dir, Clerk configured
 *   const other = await startServer({ env: { NUXT_STORAGE_BASE: server.storageBase } })  // same data
 *   const noClerk = await startServer({ env: CLERK_UNCONFIGURED })
 *   server.url / server.port / server.storageBase / server.logs() / await server.restart() / await server.stop()
 *
 * Defaults (each one overridable through `env`; a value of `undefined` removes the variable):
 *   NUXT_STORAGE_DRIVER=fs, NUXT_STORAGE_BASE=<cwd>/data (cwd defaults to a fresh temp dir, removed afterwards), NUXT_CLERK_WEBHOOK_SIGNING_SECRET=inject('webhookSecret'),
 *   networkless Clerk: NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_<example.clerk.accounts.dev$>, a fake
 *   NUXT_CLERK_SECRET_KEY (never used: no test can reach Clerk), NUXT_CLERK_JWT_KEY=inject('clerkPublicKeyPem'),
 *   NUXT_ADMIN_USER_IDS=user_admin.
 * The child gets only PATH/HOME/TMPDIR/LANG from this process, so a developer's NUXT_* never leaks in.
 * Every server a test file starts is stopped (and its temp dir removed) in that file's afterAll.
 * `logs()` returns everything the server wrote to stdout and stderr (for secret-leak checks).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, inject } from 'vitest'
import { ADMIN_USER_ID } from './session'

export const PUBLISHABLE_KEY = `pk_test_${Buffer.from('example.clerk.accounts.dev$').toString('base64')}`
// Shaped like a real secret key so the SDK accepts it; nothing here ever calls Clerk's API.
export const FAKE_SECRET_KEY = 'sk_test_e2eFakeSecretKeyNeverSentAnywhere0000000000'

/** Pass as `env` (or spread into it) to run production with no Clerk keys at all. */
export const CLERK_UNCONFIGURED: Record<string, undefined> = {
  NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY: undefined,
  NUXT_CLERK_SECRET_KEY: undefined,
  NUXT_CLERK_JWT_KEY: undefined,
}

export type ServerEnv = Record<string, string | undefined>

export interface StartOptions {
  env?: ServerEnv
  /** Working directory of the server (relative NUXT_STORAGE_BASE resolves against it). Default: a fresh temp dir. */
  cwd?: string
  /** Default: a free loopback port. */
  port?: number
  /** Milliseconds to wait for GET /api/health to answer 200. */
  readyTimeoutMs?: number
}

export interface TestServer {
  url: string
  port: number
  /** Absolute NUXT_STORAGE_BASE of this server (undefined if a test removed it). */
  storageBase: string | undefined
  env: Record<string, string>
  logs: () => string
  stop: () => Promise<void>
  /** Stop, then start again on the same port with the same env and data. */
  restart: () => Promise<void>
}

const running = new Set<TestServer>()
const tempDirs: string[] = []

afterAll(async () => {
  await Promise.all([...running].map(server => server.stop()))
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

export async function freePort(): Promise<number> {
  return await new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')))
    })
  })
}

export function makeTempDir(prefix = 'clerk-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

export function defaultServerEnv(workDir: string): Record<string, string> {
  return {
    NUXT_STORAGE_DRIVER: 'fs',
    NUXT_STORAGE_BASE: join(workDir, 'data'),
    NUXT_CLERK_WEBHOOK_SIGNING_SECRET: inject('webhookSecret'),
    NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    NUXT_CLERK_SECRET_KEY: FAKE_SECRET_KEY,
    NUXT_CLERK_JWT_KEY: inject('clerkPublicKeyPem'),
    NUXT_ADMIN_USER_IDS: ADMIN_USER_ID,
  }
}

function mergeEnv(base: Record<string, string>, overrides: ServerEnv = {}): Record<string, string> {
  const merged: Record<string, string> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[key]
    else merged[key] = value
  }
  return merged
}

function inherited(): Record<string, string> {
  const keep: Record<string, string> = {}
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[key]
    if (value !== undefined) keep[key] = value
  }
  return keep
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy; output:\n${logs()}`)
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })
      if (response.status === 200) return
      last = `HTTP ${response.status}`
    }
    catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms (last: ${last}); output:\n${logs()}`)
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const serverEntry = join(inject('e2eOutputDir'), 'server/index.mjs')
  const workDir = options.cwd ?? makeTempDir()
  const env = mergeEnv(defaultServerEnv(workDir), options.env)
  const port = options.port ?? await freePort()
  const url = `http://127.0.0.1:${port}`
  let output = ''
  let child: ChildProcess | undefined

  async function launch(): Promise<void> {
    output += `\n--- start ${new Date().toISOString()} ---\n`
    const proc = spawn(process.execPath, [serverEntry], {
      cwd: workDir,
      env: { ...inherited(), NODE_ENV: 'production', ...env, PORT: String(port), NITRO_HOST: '127.0.0.1', NITRO_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    proc.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    proc.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    try {
      await waitForHealth(url, proc, () => output, options.readyTimeoutMs ?? 30_000)
    }
    catch (error) {
      await stop()
      throw error
    }
  }

  async function stop(): Promise<void> {
    const proc = child
    child = undefined
    running.delete(server)
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>(resolve => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  const server: TestServer = {
    url,
    port,
    storageBase: env.NUXT_STORAGE_BASE,
    env,
    logs: () => output,
    stop,
    restart: async () => {
      await stop()
      running.add(server)
      await launch()
    },
  }
  running.add(server)
  await launch()
  return server
}
