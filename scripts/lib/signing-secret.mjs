// Finds the webhook signing secret the way the server would see it, so `npm run webhook:send`
// works with zero setup: the environment, then `.env`, then the secret local mode generated.

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const SECRET_VAR = 'NUXT_CLERK_WEBHOOK_SIGNING_SECRET'
export const STORAGE_BASE_VAR = 'NUXT_STORAGE_BASE'
export const DEFAULT_STORAGE_BASE = '.data/clerk'
export const LOCAL_SECRET_FILE = 'local-webhook-secret'

/** Parses dotenv text: `KEY=value`, optional `export `, single/double quotes, `#` comments. */
export function parseDotenv(text) {
  const vars = {}
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/)
    if (!match) continue
    const [, key, raw] = match
    const quoted = raw.match(/^(['"])(.*)\1\s*(?:#.*)?$/)
    vars[key] = quoted
      ? (quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n') : quoted[2])
      : raw.replace(/\s+#.*$/, '').trim()
  }
  return vars
}

/** The variable may hold several secrets (rotation) separated by spaces or commas; Svix signs with one. */
export function splitSecrets(value) {
  return (value ?? '').split(/[\s,]+/).filter(Boolean)
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8')
  }
  catch {
    return null
  }
}

/** The data dir the server uses when started from `cwd` (env first, then `.env`). */
export function storageBase({ cwd = process.cwd(), env = process.env } = {}) {
  const dotenvText = readText(resolve(cwd, '.env'))
  const dotenv = dotenvText ? parseDotenv(dotenvText) : {}
  return resolve(cwd, env[STORAGE_BASE_VAR] || dotenv[STORAGE_BASE_VAR] || DEFAULT_STORAGE_BASE)
}

/**
 * @returns {{ secret: string, source: string }}
 * @throws {Error} listing every place it looked when no secret is found
 */
export function findSigningSecret({ cwd = process.cwd(), env = process.env } = {}) {
  const looked = []

  const fromEnv = splitSecrets(env[SECRET_VAR])[0]
  if (fromEnv) return { secret: fromEnv, source: `environment variable ${SECRET_VAR}` }
  looked.push(`environment variable ${SECRET_VAR}`)

  const dotenvPath = resolve(cwd, '.env')
  const dotenvText = readText(dotenvPath)
  const fromDotenv = dotenvText && splitSecrets(parseDotenv(dotenvText)[SECRET_VAR])[0]
  if (fromDotenv) return { secret: fromDotenv, source: `${SECRET_VAR} in ${dotenvPath}` }
  looked.push(`${SECRET_VAR} in ${dotenvPath}${dotenvText === null ? ' (no such file)' : ''}`)

  const localPath = resolve(storageBase({ cwd, env }), LOCAL_SECRET_FILE)
  const fromLocal = splitSecrets(readText(localPath))[0]
  if (fromLocal) return { secret: fromLocal, source: `local-mode secret ${localPath}` }
  looked.push(`local-mode secret file ${localPath}`)

  throw new Error(
    `No webhook signing secret found. Looked in:\n${looked.map(l => `  - ${l}`).join('\n')}\n`
    + `Start the app once with \`npm run dev\` (local mode generates a secret), or set ${SECRET_VAR}=whsec_...`,
  )
}
