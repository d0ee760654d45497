import type { AppStatus } from '#shared/types'

// Public: says which settings are present, never their values.
export default defineEventHandler((): AppStatus => {
  const config = useRuntimeConfig()
  const settings = useAppSettings()
  const clerkConfigured = !!config.public.clerk?.publishableKey && !!(config.clerk?.secretKey || config.clerk?.jwtKey)
  return {
    mode: settings.localMode ? 'local' : clerkConfigured ? 'clerk' : 'unconfigured',
    storageDriver: settings.storageDriver,
    signingSecretConfigured: settings.signingSecrets.length > 0,
    clerkPublishableKeyConfigured: !!config.public.clerk?.publishableKey,
    clerkSecretKeyConfigured: !!config.clerk?.secretKey,
    clerkJwtKeyConfigured: !!config.clerk?.jwtKey,
    adminUserIdsConfigured: !!config.adminUserIds,
    webhookPath: '/api/webhooks',
  }
})
