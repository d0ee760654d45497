import { isAbsolute, resolve } from 'node:path'

export type StorageDriverName = 'fs' | 'memory' | 'redis'

export interface AppSettings {
  storageDriver: StorageDriverName
  /** Absolute directory for the fs driver (relative values resolve against the server's cwd). */
  storageBase: string
  redisUrl: string
  /** Signing secrets from NUXT_CLERK_WEBHOOK_SIGNING_SECRET (rotation: several, space or comma separated). */
  signingSecrets: string[]
  /** `nuxt dev` with no publishable key: try the app without a Clerk account. Never true in a build. */
  localMode: boolean
}

const STORAGE_DRIVERS: StorageDriverName[] = ['fs', 'memory', 'redis']

export function splitList(value: unknown): string[] {
  return String(value ?? '')
    .split(/[\s,]+/)
    .map(part => part.trim())
    .filter(Boolean)
}

let cached: AppSettings | undefined

/** Settings read once from runtimeConfig (NUXT_* variables), validated. */
export function useAppSettings(): AppSettings {
  if (cached) return cached
  const config = useRuntimeConfig()
  const driver = String(config.storageDriver || 'fs').toLowerCase() as StorageDriverName
  if (!STORAGE_DRIVERS.includes(driver)) {
    throw new Error(`NUXT_STORAGE_DRIVER must be one of ${STORAGE_DRIVERS.join(', ')} (got "${driver}")`)
  }
  const base = String(config.storageBase || '.data/clerk')
  cached = {
    storageDriver: driver,
    storageBase: isAbsolute(base) ? base : resolve(process.cwd(), base),
    redisUrl: String(config.redisUrl || ''),
    signingSecrets: splitList(config.clerk?.webhookSigningSecret),
    localMode: import.meta.dev && !config.public.clerk?.publishableKey,
  }
  return cached
}
