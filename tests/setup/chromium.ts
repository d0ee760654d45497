/**
 * The browser tests drive Debian's Chromium at /usr/bin/chromium (never a downloaded browser).
 * `npm test` must set itself up on a fresh machine, so when it is missing and we may install
 * packages (root with apt-get, as on CI), install it; otherwise say exactly what to run.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = '/usr/bin/chromium'

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  if (result.status !== 0) throw new Error(`[e2e] \`${command} ${args.join(' ')}\` failed (exit ${result.status})`)
}

export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (!canInstall) {
    throw new Error(`[e2e] The browser tests need Chromium at ${CHROMIUM_PATH}: run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`)
  }
  console.log(`[e2e] ${CHROMIUM_PATH} is missing: installing Debian's chromium package...`)
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', 'chromium'])
}
