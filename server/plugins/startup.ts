import { REMEMBER_DELIVERIES_MS } from '../utils/user-rules'

export default defineNitroPlugin((nitroApp) => {
  const problem = clerkConfigProblem()
  if (problem) console.warn(`[clerk] ${problem}`)
  const ipProblem = webhookIpConfigProblem()
  if (ipProblem) console.warn(`[webhooks] ${ipProblem}`)
  ensureLocalSigningSecret().catch(error => console.error('[local mode] could not prepare a signing secret:', error))
  ensureUserIndex().catch(error => console.error('[store] could not load users:', error instanceof Error ? error.message : error))
  ensureDeliveryLog().catch(() => {})
  // Graceful shutdown (SIGTERM/SIGINT) writes the delivery log's last changes.
  nitroApp.hooks.hook('close', () => flushDeliveryLog())

  // Ids of ignored event types are kept apart from users; forget them on the same schedule.
  const prune = () => pruneDeliveryMarks(REMEMBER_DELIVERIES_MS).catch(() => {})
  setTimeout(prune, 60_000).unref()
  setInterval(prune, 60 * 60 * 1000).unref()
})
