/** `GET /api/status`: what the home page shows. Never carries a secret, only whether it is set. */
export interface AppStatus {
  mode: 'local' | 'clerk' | 'unconfigured'
  storageDriver: string
  signingSecretConfigured: boolean
  clerkPublishableKeyConfigured: boolean
  clerkSecretKeyConfigured: boolean
  clerkJwtKeyConfigured: boolean
  adminUserIdsConfigured: boolean
  webhookPath: string
}
