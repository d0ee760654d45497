/**
 * Deliver webhooks to a test server exactly as Svix does: `svix-id`, `svix-timestamp` (s) and
 * `svix-signature` = `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, computed by the
 * reference `standardwebhooks` signer (Webhook#sign), never by hand.
 *
 *   await sendWebhook(server.url, userEvent('user.created', user))        -> { status, body, headers, id, raw }
 *   await sendWebhook(server.url, 'not json', { })                        raw string bodies are sent as is
 *   await sendWebhook(server.url, event, { id: 'msg_same' })              the same svix-id twice = a retry
 *   await sendWebhook(server.url, event, { timestamp: nowSeconds() - 301 })
 *   await sendWebhook(server.url, event, { tamper: 'signature' | 'body' | 'id' })   sign, then alter
 *   await sendWebhook(server.url, event, { omit: ['svix-id'], headers: { 'svix-signature': 'junk' } })
 * `url` is the server's base URL (POSTs to `${url}/api/webhooks`); the secret defaults to the one the
 * servers were started with (inject('webhookSecret')).
 */
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { inject } from 'vitest'
import type { WebhookResponse } from '../../shared/types'

export type Tamper = 'signature' | 'body' | 'id'

export interface SendOptions {
  secret?: string
  /** svix-id; default a fresh `msg_...`. */
  id?: string
  /** svix-timestamp in Unix seconds; default now. */
  timestamp?: number
  tamper?: Tamper
  /** Headers to drop after signing. */
  omit?: string[]
  /** Headers to add or replace after signing. */
  headers?: Record<string, string>
  method?: string
}

export interface WebhookAnswer {
  status: number
  /** Parsed JSON body (WebhookResponse for POST; a Nitro error body otherwise). */
  body: WebhookResponse & Record<string, unknown>
  headers: Headers
  /** The svix-id that was sent. */
  id: string
}

export const newSvixId = () => `msg_${randomBytes(14).toString('hex')}`

/** The three Svix headers for `payload`, signed with `secret`. */
export function svixHeaders(payload: string, options: { secret?: string, id?: string, timestamp?: number } = {}): Record<string, string> {
  const id = options.id ?? newSvixId()
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  const signature = new Webhook(options.secret ?? inject('webhookSecret')).sign(id, new Date(timestamp * 1000), payload)
  return { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': signature }
}

function flipLastSignatureChar(signature: string): string {
  const [version, value = ''] = signature.split(',')
  // Change a character in the middle of the base64 (the last one may only carry padding bits).
  const i = Math.floor(value.length / 2)
  const swapped = value[i] === 'A' ? 'B' : 'A'
  return `${version},${value.slice(0, i)}${swapped}${value.slice(i + 1)}`
}

export async function sendWebhook(url: string, event: unknown, options: SendOptions = {}): Promise<WebhookAnswer> {
  const payload = typeof event === 'string' ? event : JSON.stringify(event)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Svix-Webhooks/1.0',
    ...svixHeaders(payload, options),
  }
  let body = payload
  if (options.tamper === 'signature') headers['svix-signature'] = flipLastSignatureChar(headers['svix-signature']!)
  if (options.tamper === 'body') body = payload.replace(/}\s*$/, ',"tampered":true}')
  if (options.tamper === 'id') headers['svix-id'] = newSvixId()
  for (const name of options.omit ?? []) delete headers[name]
  Object.assign(headers, options.headers)

  const method = options.method ?? 'POST'
  const response = await fetch(`${url}/api/webhooks`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  })
  const text = await response.text()
  let parsed: WebhookAnswer['body']
  try {
    parsed = JSON.parse(text)
  }
  catch {
    throw new Error(`POST /api/webhooks answered ${response.status} with a non-JSON body: ${text.slice(0, 300)}`)
  }
  return { status: response.status, body: parsed, headers: response.headers, id: headers['svix-id'] ?? '' }
}
