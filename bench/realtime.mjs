#!/usr/bin/env node
// `npm run bench:realtime`: webhook-to-screen latency of the production build.
// 100 admin sockets (socket.io-client, websocket transport) stay connected while signed
// user.created deliveries arrive at a steady 100/s for 10 s; for every socket and every delivery we
// measure the time from sending the webhook to that socket receiving its `user.created` event
// (matched by user id). Target: p99 <= 50 ms.
//
// The socket is admin-only. The server runs in its Clerk configuration with a JWT public key the
// bench generated (networkless verification), and each socket presents a session token for an
// admin user signed with the matching private key: the production check, no bypass.

import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { io } from 'socket.io-client'
import { makeSigningSecret, makeUser, signDelivery, userEvent } from '../scripts/lib/clerk-events.mjs'
import { keepAliveAgent, postJson, runOpenLoop } from './lib/http.mjs'
import { resolveOutput, startServer } from './lib/server.mjs'
import { generateSessionKeys, publishableKeyFor, signSessionToken } from './lib/session-token.mjs'
import { machineLoad, printTable, summarize, verdict } from './lib/stats.mjs'
import { intOption } from './lib/args.mjs'

const USAGE = `Usage: npm run bench:realtime -- [options]

  --output <dir>     production build to run (default .output; built with \`npx nuxt build\` if missing)
  --sockets <n>      connected admin sockets (default 100)
  --rate <n>         signed deliveries per second (default 100)
  --seconds <n>      length of the run (default 10)
  --profile <dir>    write a V8 CPU profile of the server into <dir> (open in Chrome DevTools)
  --strict           exit 1 when the target is missed (not only on errors)
`

const { values: opts } = parseArgs({
  options: {
    'output': { type: 'string' },
    'sockets': { type: 'string', default: '100' },
    'rate': { type: 'string', default: '100' },
    'seconds': { type: 'string', default: '10' },
    'profile': { type: 'string' },
    'strict': { type: 'boolean', default: false },
    'help': { type: 'boolean', short: 'h', default: false },
  },
})
if (opts.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const int = (name, max) => intOption(opts, name, max)
const SOCKETS = int('sockets', 1000)
const RATE = int('rate', 2000)
const SECONDS = int('seconds', 120)
const ADMIN_ID = 'user_bench_admin'
const TARGET_P99 = 50
const DRAIN_MS = 5000

/** Connects one socket; rejects with the server's refusal (connect_error) or a timeout. */
function connect(origin, token) {
  return new Promise((resolve, reject) => {
    const socket = io(origin, {
      path: '/socket.io/',
      transports: ['websocket'],
      auth: { token },
      forceNew: true, // one real connection per socket, not one multiplexed Manager
      reconnection: false,
      timeout: 10_000,
    })
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(new Error(`socket refused: ${error.message}${error.data ? ` ${JSON.stringify(error.data)}` : ''}`))
    })
  })
}

async function main() {
  const entry = resolveOutput(opts.output)
  const secret = makeSigningSecret()
  const { publicKeyPem, privateKey } = generateSessionKeys()
  const token = signSessionToken(privateKey, { sub: ADMIN_ID })

  const count = RATE * SECONDS
  console.log(`Preparing and signing ${count} deliveries...`)
  const deliveries = Array.from({ length: count }, () => {
    const user = makeUser()
    const body = Buffer.from(JSON.stringify(userEvent('user.created', user)))
    return { userId: user.id, body, headers: signDelivery(secret, body.toString('utf8')) }
  })
  const indexOf = new Map(deliveries.map((d, i) => [d.userId, i]))

  const loadBefore = machineLoad()
  console.log(`Starting ${entry} (machine: ${loadBefore.cpus} CPUs, 1-min load ${loadBefore.load1}) ...`)
  const server = await startServer({
    entry,
    profileDir: opts.profile,
    env: {
      NUXT_CLERK_WEBHOOK_SIGNING_SECRET: secret,
      NUXT_PUBLIC_CLERK_PUBLISHABLE_KEY: publishableKeyFor(),
      NUXT_CLERK_SECRET_KEY: 'sk_test_bench',
      NUXT_CLERK_JWT_KEY: publicKeyPem,
      NUXT_ADMIN_USER_IDS: ADMIN_ID,
    },
  })
  const url = `${server.origin}/api/webhooks`
  const agent = keepAliveAgent(64)
  const sockets = []
  let failed = false
  try {
    console.log(`Connecting ${SOCKETS} admin sockets (websocket)...`)
    // A few at a time: a burst of handshakes is not what is being measured.
    for (let i = 0; i < SOCKETS; i += 10) {
      sockets.push(...await Promise.all(Array.from({ length: Math.min(10, SOCKETS - i) }, () => connect(server.origin, token))))
    }

    const sentAt = new Float64Array(count).fill(Number.NaN)
    const latencies = []
    const warmupIds = new Set()
    let received = 0
    let unmatched = 0
    let disconnects = 0
    for (const socket of sockets) {
      socket.on('user.created', (event) => {
        const now = performance.now()
        const i = indexOf.get(event?.data?.id)
        if (i === undefined || Number.isNaN(sentAt[i])) {
          if (!warmupIds.has(event?.data?.id)) unmatched++
          return
        }
        received++
        latencies.push(now - sentAt[i])
      })
      socket.on('disconnect', () => disconnects++)
    }

    // Warm up: a few deliveries not counted, so the first measured ones don't pay for JIT.
    for (let i = 0; i < 20; i++) {
      const user = makeUser()
      warmupIds.add(user.id)
      const body = Buffer.from(JSON.stringify(userEvent('user.created', user)))
      await postJson(url, { body, headers: signDelivery(secret, body.toString('utf8')) }, agent)
    }
    await new Promise(resolve => setTimeout(resolve, 500))

    console.log(`Sending ${RATE} signed user.created/s for ${SECONDS} s to ${SOCKETS} sockets...`)
    const cpuBefore = server.cpuMs()
    const run = await runOpenLoop(count, RATE, (i) => {
      sentAt[i] = performance.now()
      return postJson(url, deliveries[i], agent)
    })
    const expected = count * SOCKETS
    const drainUntil = performance.now() + DRAIN_MS
    while (received < expected && performance.now() < drainUntil) await new Promise(resolve => setTimeout(resolve, 20))
    const cpuAfter = server.cpuMs()
    // Server CPU per delivery (ingest + broadcast to every socket): what a busy machine does not distort.
    const serverCpuMs = cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) / count) * 1000) / 1000

    const applied = run.runs.filter(r => r.result.status === 200 && r.result.json?.outcome === 'applied').length
    const http = summarize(run.runs.map(r => r.result.ms))
    const stats = summarize(latencies)
    console.log('')
    printTable([
      ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      ['webhook sent -> socket event', stats.n, stats.p50, stats.p95, stats.p99, stats.max],
      ['webhook HTTP response', http.n, http.p50, http.p95, http.p99, http.max],
    ])
    console.log('')
    console.log(`events received: ${received} of ${expected} (${SOCKETS} sockets x ${count} deliveries); deliveries applied: ${applied} of ${count}`)
    console.log(`p99: ${stats.p99} ms (target <= ${TARGET_P99} ms) ${verdict(stats.p99 <= TARGET_P99)}`)
    if (serverCpuMs !== null) console.log(`server CPU per delivery (ingest + broadcast to ${SOCKETS} sockets): ${serverCpuMs} ms, ${Math.round(serverCpuMs * RATE / 10)}% of one core at ${RATE}/s`)

    const problems = []
    if (applied !== count) problems.push(`${count - applied} deliveries were not applied`)
    if (received !== expected) problems.push(`${expected - received} socket events missing`)
    if (unmatched) problems.push(`${unmatched} events did not match a sent delivery`)
    if (disconnects) problems.push(`${disconnects} sockets disconnected during the run`)
    if (run.skipped) problems.push(`${run.skipped} deliveries skipped: too many in flight`)
    for (const p of problems) console.log(`ERROR ${p}`)

    console.log(JSON.stringify({
      bench: 'realtime',
      machine: { ...loadBefore, load1After: machineLoad().load1 },
      sockets: SOCKETS,
      rate: RATE,
      seconds: SECONDS,
      received,
      expected,
      latency: stats,
      http,
      serverCpuMs,
      target: { p99: stats.p99 <= TARGET_P99 },
      errors: problems.length,
    }))
    failed = problems.length > 0 || (opts.strict && stats.p99 > TARGET_P99)
  }
  catch (error) {
    console.error(`bench:realtime failed: ${error.message}\nServer output (tail):\n${server.logs()}`)
    failed = true
  }
  finally {
    for (const socket of sockets) socket.close()
    agent.destroy()
    await server.stop()
  }
  process.exitCode = failed ? 1 : 0
}

main().catch((error) => {
  console.error(`bench:realtime: ${error.message}`)
  process.exitCode = 1
})
