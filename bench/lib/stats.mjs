// Latency statistics and the small table the benches print.

import { availableParallelism, loadavg } from 'node:os'

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function summarize(latencies) {
  const sorted = Float64Array.from(latencies).sort()
  const round = v => Math.round(v * 100) / 100
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  }
}

export function printTable(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map(row => String(row[col]).length)))
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, col) => col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col])).join('  '))
    if (i === 0) console.log(widths.map(w => '-'.repeat(w)).join('  '))
  }
}

export const verdict = ok => (ok ? 'PASS' : 'FAIL')

/** Other work on the machine skews every figure: say how busy it was. */
export function machineLoad() {
  return { cpus: availableParallelism(), load1: Math.round(loadavg()[0] * 100) / 100 }
}
