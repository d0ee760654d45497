// One keep-alive HTTP client for the benches: node:http with a pooled Agent, so the numbers
// measure the server, not connection setup.

import http from 'node:http'
import { performance } from 'node:perf_hooks'

export function keepAliveAgent(maxSockets) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
}

/**
 * POSTs a pre-built body. Resolves (never rejects) with status, parsed JSON and the latency in ms
 * measured from just before the request is written until the whole response is read.
 */
export function postJson(url, { body, headers }, agent) {
  return new Promise((resolve) => {
    const started = performance.now()
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': body.length },
    }, (response) => {
      const chunks = []
      response.on('data', chunk => chunks.push(chunk))
      response.on('end', () => {
        let json = null
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        }
        catch { /* status alone tells */ }
        resolve({ status: response.statusCode, json, started, ms: performance.now() - started })
      })
    })
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')))
    request.on('error', error => resolve({ status: 0, json: null, error, started, ms: performance.now() - started }))
    request.end(body)
  })
}

/** Runs `tasks` (functions returning promises) with at most `concurrency` in flight. */
export async function runClosedLoop(count, concurrency, task) {
  let next = 0
  const results = new Array(count)
  const worker = async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}

/**
 * Open-loop schedule: delivery i is due at start + i / rate seconds, whether or not earlier ones
 * have answered (so a slow server cannot slow the load down and hide its own latency).
 * Returns per-delivery { result, lateMs }, where lateMs is how far behind schedule it was sent.
 */
export async function runOpenLoop(count, rate, task, { maxInFlight = 1000 } = {}) {
  const start = performance.now()
  const pending = []
  let inFlight = 0
  let skipped = 0
  let i = 0
  while (i < count) {
    const elapsed = performance.now() - start
    const due = Math.min(count, Math.floor((elapsed * rate) / 1000) + 1)
    for (; i < due; i++) {
      const scheduledAt = start + (i * 1000) / rate
      if (inFlight >= maxInFlight) {
        skipped++
        continue
      }
      inFlight++
      const lateMs = performance.now() - scheduledAt
      pending.push(task(i).then((result) => {
        inFlight--
        return { result, lateMs, scheduledAt }
      }))
    }
    await new Promise(resolve => setTimeout(resolve, 1))
  }
  return { runs: await Promise.all(pending), skipped, wallMs: performance.now() - start }
}
