import type { H3Event } from 'h3'
import { z } from 'zod'
import type { DeliveryOutcome, WebhookResponse } from '#shared/types'

export const MAX_WEBHOOK_BYTES = 1024 * 1024

const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/

const ClerkId = z.string().min(1).max(256)
/** Only what the store relies on is checked; everything else Clerk sends is kept as is. */
const EventEnvelope = z.object({ type: z.string().min(1).max(128), data: z.record(z.string(), z.unknown()), timestamp: z.number().optional() })
const UserData = z.looseObject({ id: ClerkId, created_at: z.number(), updated_at: z.number() })
const DeletedData = z.looseObject({ id: ClerkId })

interface Answer {
  status: number
  body: WebhookResponse
  type?: string | null
  userId?: string | null
}

function reject(status: number, reason: string, message: string): Answer {
  return { status, body: { ok: false, outcome: status >= 500 ? 'failed' : 'rejected', reason, message } }
}

/** Read at most MAX_WEBHOOK_BYTES; null when the body is larger (answered 413 before any parsing). */
async function readLimitedBody(event: H3Event): Promise<string | null> {
  const declared = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (declared > MAX_WEBHOOK_BYTES) return null
  // Node's own request stream where there is one (node-server, dev); the web stream elsewhere.
  const source = (event.node?.req?.readable ? event.node.req : getRequestWebStream(event)) as AsyncIterable<Uint8Array> | undefined
  if (!source) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of source) {
    size += chunk.byteLength
    if (size > MAX_WEBHOOK_BYTES) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function svixHeaders(event: H3Event): Record<string, string | undefined> {
  return {
    'svix-id': getRequestHeader(event, 'svix-id'),
    'svix-timestamp': getRequestHeader(event, 'svix-timestamp'),
    'svix-signature': getRequestHeader(event, 'svix-signature'),
  }
}

async function evaluate(event: H3Event): Promise<Answer> {
  if (!webhookIpAllowed(event)) return reject(403, 'ip_not_allowed', 'This address may not send webhooks')
  const secrets = useAppSettings().signingSecrets
  if (!secrets.length) {
    return reject(503, 'signing_secret_missing', 'NUXT_CLERK_WEBHOOK_SIGNING_SECRET is not configured')
  }
  if (!secrets.every(secret => SECRET_PATTERN.test(secret))) {
    return reject(503, 'signing_secret_invalid', 'NUXT_CLERK_WEBHOOK_SIGNING_SECRET must hold whsec_ secrets')
  }
  const raw = await readLimitedBody(event)
  if (raw === null) return reject(413, 'payload_too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`)

  const headers = svixHeaders(event)
  const verified = await verifyDelivery(raw, headers, secrets)
  if (!verified.ok) return reject(400, verified.reason, verified.message)

  const envelope = EventEnvelope.safeParse(verified.event)
  if (!envelope.success) return reject(400, 'invalid_payload', 'The event needs a string "type" and an object "data"')
  const { type, data } = envelope.data
  const dataSchema = type === 'user.deleted' ? DeletedData : type.startsWith('user.') ? UserData : null
  if (dataSchema && !dataSchema.safeParse(data).success) {
    return { ...reject(400, 'invalid_payload', `A ${type} event needs data.id${type === 'user.deleted' ? '' : ', data.created_at and data.updated_at (ms)'}`), type }
  }
  const userId = type.startsWith('user.') && typeof data.id === 'string' ? data.id : null

  try {
    const result = await ingestVerifiedEvent(headers['svix-id']!.trim(), envelope.data)
    return { status: 200, body: { ok: true, outcome: result.outcome }, type, userId: result.userId ?? userId }
  }
  catch (error) {
    console.error('[webhooks] storage failed, answering 503 so Svix retries:', error instanceof Error ? error.message : error)
    return { ...reject(503, 'storage_unavailable', 'The change could not be stored; Svix will retry'), type, userId }
  }
}

/** The whole webhook pipeline: allow-list, secret, size, signature, shape, idempotent apply, log. */
export async function handleWebhook(event: H3Event): Promise<WebhookResponse> {
  const started = performance.now()
  await ensureDeliveryLog().catch(() => {})
  const answer = await evaluate(event)
  const svixId = getRequestHeader(event, 'svix-id')?.trim().slice(0, 256) || null
  recordDelivery({
    svixId,
    type: answer.type ?? null,
    userId: answer.userId ?? null,
    outcome: answer.body.outcome as DeliveryOutcome,
    status: answer.status,
    reason: answer.body.reason ?? null,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    receivedAt: Date.now(),
  })
  setResponseStatus(event, answer.status)
  return answer.body
}
