import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Local mode (`nuxt dev` with no Clerk key) needs a signing secret for `npm run webhook:send`:
 * make one once and keep it beside the data, so it survives restarts and stays out of git.
 */
export async function ensureLocalSigningSecret(): Promise<void> {
  const settings = useAppSettings()
  if (!settings.localMode || settings.signingSecrets.length) return
  const file = join(settings.storageBase, 'local-webhook-secret')
  let secret = (await readFile(file, 'utf8').catch(() => '')).trim()
  if (!secret) {
    secret = `whsec_${randomBytes(24).toString('base64')}`
    await mkdir(settings.storageBase, { recursive: true })
    await writeFile(file, `${secret}\n`, { mode: 0o600 })
  }
  settings.signingSecrets.push(secret)
  // Local mode only (never in a build): the secret guards nothing but this machine's loopback demo.
  console.info(`[local mode] No Clerk keys. Webhook signing secret (kept in ${file}): ${secret}`)
  console.info(`[local mode] Send a test event with: npm run webhook:send -- user.created`)
}
