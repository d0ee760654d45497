import { verifyWebhook } from '@clerk/backend/webhooks'

export type VerifyFailureReason =
  | 'missing_headers'
  | 'malformed_headers'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch'
  | 'invalid_json'

export type VerifyResult =
  | { ok: true, event: { type: unknown, data: unknown, timestamp?: unknown } }
  | { ok: false, reason: VerifyFailureReason, message: string }

type HeaderBag = Record<string, string | undefined>

const SIGNATURE_PATTERN = /^(v1[a-z]?,[A-Za-z0-9+/=_-]+)( v1[a-z]?,[A-Za-z0-9+/=_-]+)*$/

function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message }
}

/** Clear reasons for what Clerk's verifier would only call "unable to verify". */
function precheck(headers: HeaderBag): VerifyResult | null {
  const missing = ['svix-id', 'svix-timestamp', 'svix-signature'].filter(name => !headers[name]?.trim())
  if (missing.length) return fail('missing_headers', `Missing required webhook headers: ${missing.join(', ')}`)
  if (!/^\d{1,12}$/.test(headers['svix-timestamp']!.trim())) {
    return fail('malformed_headers', 'svix-timestamp must be a Unix time in seconds')
  }
  if (!SIGNATURE_PATTERN.test(headers['svix-signature']!.trim())) {
    return fail('malformed_headers', 'svix-signature must be space-separated "v1,<base64>" signatures')
  }
  if (headers['svix-id']!.trim().length > 256) return fail('malformed_headers', 'svix-id is too long')
  return null
}

function classify(error: unknown): VerifyResult {
  const message = error instanceof Error ? error.message : String(error)
  if (/timestamp too (old|new)/i.test(message)) {
    return fail('timestamp_out_of_tolerance', 'svix-timestamp is more than 5 minutes away from the server clock')
  }
  if (/no matching signature/i.test(message)) return fail('signature_mismatch', 'No signature matches the configured signing secret')
  // An empty signed body makes the verifier return nothing, which surfaces as a property read on undefined.
  if (/json|unexpected token|unexpected end|cannot read prop/i.test(message)) {
    return fail('invalid_json', 'The signed body is not valid JSON')
  }
  return fail('malformed_headers', 'The webhook headers could not be read')
}

/**
 * What Clerk's `verifyWebhook` reads of a Request: its headers and its text. The body is already
 * read and size-checked, and building a full fetch Request per delivery (and per rotated secret)
 * costs more CPU than the HMAC itself on the hot path.
 */
function requestLike(headers: Record<string, string>, body: string): Request {
  return { headers: new Headers(headers), text: async () => body } as unknown as Request
}

/**
 * Verify a delivery with Clerk's own `verifyWebhook`, once per configured secret, so a secret
 * can be rotated without dropping deliveries signed by the old one.
 */
export async function verifyDelivery(rawBody: string, headers: HeaderBag, secrets: string[]): Promise<VerifyResult> {
  const problem = precheck(headers)
  if (problem) return problem
  const requestHeaders = {
    'svix-id': headers['svix-id']!,
    'svix-timestamp': headers['svix-timestamp']!,
    'svix-signature': headers['svix-signature']!,
  }
  let result: VerifyResult = fail('signature_mismatch', 'No signing secret is configured')
  for (const secret of secrets) {
    try {
      const event = await verifyWebhook(requestLike(requestHeaders, rawBody), { signingSecret: secret })
      return { ok: true, event }
    }
    catch (error) {
      result = classify(error)
      // Any other answer than "signature does not match" holds for every secret.
      if (result.ok === false && result.reason !== 'signature_mismatch') return result
    }
  }
  return result
}
