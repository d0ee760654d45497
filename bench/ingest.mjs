#!/usr/bin/env node
// `npm run bench:ingest`: webhook ingest throughput and latency of the production build.
//
//  (a) valid: new, uniquely signed user.created/user.updated deliveries, closed loop at a fixed
//      concurrency: deliveries/s and p50/p99 at max throughput. Every one must answer "applied".
//  (b) baseline: the same bodies signed with a wrong secret: verified and rejected, nothing stored.
//      valid/baseline is the share of verify-only throughput left after storing and logging
//      (target >= 0.5).
//  (c) steady: an open-loop 1,000 deliveries/s for 5 s: p50/p99 (target p99 <= 25 ms).
// Everything is signed before timing starts, so signing cost is not measured.

import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { makeSigningSecret, makeUser, signDelivery, touchUser, userEvent } from '../scripts/lib/clerk-events.mjs'
import { keepAliveAgent, postJson, runClosedLoop, runOpenLoop } from './lib/http.mjs'
import { resolveOutput, startServer } from './lib/server.mjs'
import { machineLoad, printTable, summarize, verdict } from './lib/stats.mjs'
import { intOption } from './lib/args.mjs'

const USAGE = `Usage: npm run bench:ingest -- [options]

  --output <dir>       production build to run (default .output; built with \`npx nuxt build\` if missing)
  --count <n>          deliveries per throughput phase (default 5000)
  --concurrency <n>    requests in flight in the throughput phases (default 32)
  --rate <n>           deliveries/s in the steady phase (default 1000)
  --seconds <n>        length of the steady phase (default 5)
  --profile <dir>      write a V8 CPU profile of the server into <dir> (open in Chrome DevTools)
  --driver <name>      storage driver for the server: fs (default, as shipped) or memory (no disk cost)
  --strict             exit 1 when a target is missed (not only on errors)
`

const { values: opts } = parseArgs({
  options: {
    'output': { type: 'string' },
    'count': { type: 'string', default: '5000' },
    'concurrency': { type: 'string', default: '32' },
    'rate': { type: 'string', default: '1000' },
    'seconds': { type: 'string', default: '5' },
    'profile': { type: 'string' },
    'driver': { type: 'string', default: 'fs' },
    'strict': { type: 'boolean', default: false },
    'help': { type: 'boolean', short: 'h', default: false },
  },
})
if (opts.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const int = (name, max) => intOption(opts, name, max)
const COUNT = int('count', 100_000)
const CONCURRENCY = int('concurrency', 1024)
const RATE = int('rate', 20_000)
const SECONDS = int('seconds', 120)
const WARMUP_USERS = 500
const TARGET_RATIO = 0.5
const TARGET_STEADY_P99 = 25

/**
 * `count` deliveries alternating a new user.created and a user.updated of one of `existing`
 * (round robin, each newer than the last). Updates to one user are `2 * existing.length` apart,
 * far more than the requests in flight, so none can overtake another and turn "stale".
 * Users created here are appended to `created`, for a later phase to update.
 */
function makeDeliveries(count, existing, created = []) {
  const deliveries = []
  let updates = 0
  for (let i = 0; i < count; i++) {
    let event
    if (i % 2 === 0 || !existing.length) {
      const user = makeUser()
      created.push(user)
      event = userEvent('user.created', user)
    }
    else {
      const slot = updates++ % existing.length
      existing[slot] = touchUser(existing[slot], { public_metadata: { role: 'member', plan: 'pro', bench_update: updates } })
      event = userEvent('user.updated', existing[slot])
    }
    deliveries.push({ type: event.type, body: Buffer.from(JSON.stringify(event)) })
  }
  return deliveries
}

function sign(deliveries, secret) {
  return deliveries.map(d => ({ body: d.body, headers: signDelivery(secret, d.body.toString('utf8')) }))
}

function tally(results, expect) {
  const counts = {}
  let unexpected = 0
  for (const r of results) {
    const key = `${r.status} ${r.json?.outcome ?? r.error?.message ?? ''}${r.json?.reason ? `/${r.json.reason}` : ''}`
    counts[key] = (counts[key] ?? 0) + 1
    if (!expect(r)) unexpected++
  }
  return { counts, unexpected }
}

/** Server CPU ms per delivery sent during `run`, or null where /proc is unavailable. */
async function withServerCpu(server, run, sentOf) {
  const before = server.cpuMs()
  const result = await run()
  const after = server.cpuMs()
  const cpuMsPerDelivery = before === null || after === null ? null : Math.round(((after - before) / sentOf(result)) * 1000) / 1000
  return { ...result, cpuMsPerDelivery }
}

async function closedLoopPhase(server, url, signed, agent) {
  return withServerCpu(server, async () => {
    const started = performance.now()
    const results = await runClosedLoop(signed.length, CONCURRENCY, i => postJson(url, signed[i], agent))
    const seconds = (performance.now() - started) / 1000
    return { results, perSecond: Math.round(signed.length / seconds), latency: summarize(results.map(r => r.ms)) }
  }, r => r.results.length)
}

const isApplied = r => r.status === 200 && r.json?.outcome === 'applied'
const isRejected = r => r.status === 400 && r.json?.reason === 'signature_mismatch'

async function main() {
  const entry = resolveOutput(opts.output)
  const secret = makeSigningSecret()
  const wrongSecret = makeSigningSecret()

  console.log(`Preparing and signing ${WARMUP_USERS + 2 * COUNT + RATE * SECONDS + 600} deliveries...`)
  const warmupUsers = Array.from({ length: WARMUP_USERS }, () => makeUser())
  const warmup = sign(warmupUsers.map(u => ({ body: Buffer.from(JSON.stringify(userEvent('user.created', u))) })), secret)
  const warmupRejected = sign(makeDeliveries(300, []), wrongSecret)
  const createdInValid = []
  const valid = makeDeliveries(COUNT, warmupUsers, createdInValid)
  const validSigned = sign(valid, secret)
  const baselineSigned = sign(valid, wrongSecret)
  // The steady phase updates the users phase (a) created: each at most once per pass over them,
  // so even an overloaded server (thousands in flight) cannot see two updates of one user race.
  const steadySigned = sign(makeDeliveries(RATE * SECONDS, createdInValid), secret)

  const loadBefore = machineLoad()
  console.log(`Starting ${entry} with the ${opts.driver} storage driver (machine: ${loadBefore.cpus} CPUs, 1-min load ${loadBefore.load1}) ...`)
  const server = await startServer({ entry, profileDir: opts.profile, env: { NUXT_CLERK_WEBHOOK_SIGNING_SECRET: secret, NUXT_STORAGE_DRIVER: opts.driver } })
  const url = `${server.origin}/api/webhooks`
  const agent = keepAliveAgent(Math.max(CONCURRENCY, 256))
  let failed = false
  try {
    // Warm the JIT and the store, and create the users that phase (a) updates.
    const w = await runClosedLoop(warmup.length, CONCURRENCY, i => postJson(url, warmup[i], agent))
    await runClosedLoop(warmupRejected.length, CONCURRENCY, i => postJson(url, warmupRejected[i], agent))
    const warm = tally(w, isApplied)
    if (warm.unexpected) throw new Error(`Warm-up deliveries were not all applied: ${JSON.stringify(warm.counts)}`)

    console.log(`(b) baseline: ${COUNT} wrongly signed deliveries, ${CONCURRENCY} in flight...`)
    const baseline = await closedLoopPhase(server, url, baselineSigned, agent)
    console.log(`(a) valid: ${COUNT} new signed user.created/user.updated deliveries, ${CONCURRENCY} in flight...`)
    const applied = await closedLoopPhase(server, url, validSigned, agent)
    console.log(`(c) steady: ${RATE}/s for ${SECONDS} s (open loop)...`)
    const steadyRun = await withServerCpu(server, () => runOpenLoop(steadySigned.length, RATE, i => postJson(url, steadySigned[i], agent)), r => r.runs.length)

    const appliedTally = tally(applied.results, isApplied)
    const baselineTally = tally(baseline.results, isRejected)
    const steadyTally = tally(steadyRun.runs.map(r => r.result), isApplied)
    const steady = summarize(steadyRun.runs.map(r => r.result.ms))
    // Latency counted from when the request was due, so a late client is not hidden either.
    const steadyFromSchedule = summarize(steadyRun.runs.map(r => r.result.ms + r.lateMs))
    const achievedRate = Math.round(steadyRun.runs.length / (steadyRun.wallMs / 1000))
    const ratio = Math.round((applied.perSecond / baseline.perSecond) * 100) / 100

    console.log('')
    printTable([
      ['phase', 'deliveries', 'as expected', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'server CPU ms each'],
      ['(a) valid, applied', COUNT, COUNT - appliedTally.unexpected, applied.perSecond, applied.latency.p50, applied.latency.p99, applied.latency.max, applied.cpuMsPerDelivery ?? 'n/a'],
      ['(b) wrong signature, rejected', COUNT, COUNT - baselineTally.unexpected, baseline.perSecond, baseline.latency.p50, baseline.latency.p99, baseline.latency.max, baseline.cpuMsPerDelivery ?? 'n/a'],
      [`(c) steady ${RATE}/s x ${SECONDS} s`, steadyRun.runs.length, steadyRun.runs.length - steadyTally.unexpected, achievedRate, steady.p50, steady.p99, steady.max, steadyRun.cpuMsPerDelivery ?? 'n/a'],
    ])
    console.log('')
    console.log(`ratio valid/baseline: ${ratio} (target >= ${TARGET_RATIO}) ${verdict(ratio >= TARGET_RATIO)}`)
    if (applied.cpuMsPerDelivery && baseline.cpuMsPerDelivery) {
      // Independent of what else the machine is doing: what one core could sustain.
      const cpuRatio = Math.round((baseline.cpuMsPerDelivery / applied.cpuMsPerDelivery) * 100) / 100
      console.log(`server CPU per delivery: applied ${applied.cpuMsPerDelivery} ms, rejected ${baseline.cpuMsPerDelivery} ms (CPU ratio ${cpuRatio}; one core ~${Math.round(1000 / applied.cpuMsPerDelivery)} applied/s)`)
    }
    console.log(`steady p99: ${steady.p99} ms (target <= ${TARGET_STEADY_P99} ms) ${verdict(steady.p99 <= TARGET_STEADY_P99)}; counted from schedule: p50 ${steadyFromSchedule.p50} ms, p99 ${steadyFromSchedule.p99} ms`)

    const problems = []
    if (appliedTally.unexpected) problems.push(`(a) not all applied: ${JSON.stringify(appliedTally.counts)}`)
    if (baselineTally.unexpected) problems.push(`(b) not all rejected as signature_mismatch: ${JSON.stringify(baselineTally.counts)}`)
    if (steadyTally.unexpected) problems.push(`(c) not all applied: ${JSON.stringify(steadyTally.counts)}`)
    if (steadyRun.skipped) problems.push(`(c) ${steadyRun.skipped} deliveries skipped: too many in flight`)
    for (const p of problems) console.log(`ERROR ${p}`)

    console.log(JSON.stringify({
      bench: 'ingest',
      driver: opts.driver,
      machine: { ...loadBefore, load1After: machineLoad().load1 },
      count: COUNT,
      concurrency: CONCURRENCY,
      valid: { perSecond: applied.perSecond, ...applied.latency, serverCpuMs: applied.cpuMsPerDelivery },
      baseline: { perSecond: baseline.perSecond, ...baseline.latency, serverCpuMs: baseline.cpuMsPerDelivery },
      ratio,
      steady: { rate: RATE, seconds: SECONDS, achievedRate, ...steady, fromSchedule: steadyFromSchedule, serverCpuMs: steadyRun.cpuMsPerDelivery },
      targets: { ratio: ratio >= TARGET_RATIO, steadyP99: steady.p99 <= TARGET_STEADY_P99 },
      errors: problems.length,
    }))
    failed = problems.length > 0 || (opts.strict && (ratio < TARGET_RATIO || steady.p99 > TARGET_STEADY_P99))
  }
  catch (error) {
    console.error(`bench:ingest failed: ${error.message}\nServer output (tail):\n${server.logs()}`)
    failed = true
  }
  finally {
    agent.destroy()
    await server.stop()
  }
  process.exitCode = failed ? 1 : 0
}

main().catch((error) => {
  console.error(`bench:ingest: ${error.message}`)
  process.exitCode = 1
})
