// Starts the production build as a child process on a free loopback port, with only the
// configuration the bench gives it (inherited NUXT_* settings would make results unreproducible).

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const DEFAULT_OUTPUT = '.output'

/** Resolves `--output` (default `.output`); builds only when the default build is missing. */
export function resolveOutput(output) {
  const dir = resolve(output ?? DEFAULT_OUTPUT)
  const entry = join(dir, 'server', 'index.mjs')
  if (existsSync(entry)) return entry
  if (output) throw new Error(`No production build at ${entry} (check --output)`)
  const testBuild = resolve('node_modules/.cache/e2e/.output')
  if (existsSync(join(testBuild, 'server', 'index.mjs'))) console.log(`(Tip: \`--output ${testBuild}\` reuses the build the e2e tests made.)`)
  console.log(`No build at ${entry}: running \`npx nuxt build\` once (takes about a minute)...`)
  const build = spawnSync('npx', ['nuxt', 'build'], { stdio: 'inherit' })
  if (build.status !== 0 || !existsSync(entry)) throw new Error('`npx nuxt build` failed')
  return entry
}

export async function freePort() {
  const server = createServer()
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok))
  const { port } = server.address()
  await new Promise(ok => server.close(ok))
  return port
}

function cleanEnv() {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(NUXT_|NITRO_)/.test(key) || ['PORT', 'HOST', 'NODE_OPTIONS'].includes(key)) continue
    env[key] = value
  }
  return env
}

/**
 * @param {{ entry: string, env?: Record<string, string>, healthTimeoutMs?: number, profileDir?: string }} options
 * @returns {Promise<{ origin: string, port: number, dataDir: string, child: import('node:child_process').ChildProcess, logs: () => string, stop: () => Promise<void>, cpuMs: () => number | null }>}
 */
export async function startServer({ entry, env = {}, healthTimeoutMs = 30_000, profileDir }) {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'clerk-bench-'))
  // --profile: a V8 CPU profile of the server (open it in Chrome DevTools) to see where time goes.
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: dataDir,
    env: {
      ...cleanEnv(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      NITRO_HOST: '127.0.0.1',
      PORT: String(port),
      NITRO_PORT: String(port),
      NUXT_STORAGE_DRIVER: 'fs',
      NUXT_STORAGE_BASE: join(dataDir, 'store'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  // Keep the tail of the server's output for error reports.
  let log = ''
  const keep = (chunk) => {
    log = (log + chunk).slice(-8000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  child.once('exit', (code, signal) => {
    exited = { code, signal }
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  const origin = `http://127.0.0.1:${port}`
  const stop = async () => {
    process.off('exit', killOnExit)
    if (!exited) {
      child.kill('SIGTERM')
      for (let i = 0; i < 50 && !exited; i++) await sleep(100)
      if (!exited) child.kill('SIGKILL')
    }
    rmSync(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + healthTimeoutMs
  while (Date.now() < deadline) {
    if (exited) break
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return { origin, port, dataDir, child, logs: () => log, stop, cpuMs: () => processCpuMs(child.pid) }
    }
    catch { /* not listening yet */ }
    await sleep(100)
  }
  await stop()
  throw new Error(`Server did not become healthy (${exited ? `exited ${exited.code ?? exited.signal}` : 'timed out'}). Output:\n${log}`)
}

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; null elsewhere). On a busy
 * machine wall-clock rates mostly measure the neighbours; CPU per delivery measures the server.
 */
export function processCpuMs(pid) {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  }
  catch {
    return null
  }
}

// USER_HZ is 100 on every mainstream Linux build.
const CLOCK_TICKS = 100
