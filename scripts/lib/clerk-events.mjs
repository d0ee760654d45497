// Realistic Clerk webhook events, signed exactly as Svix signs them.
// Shared by `npm run webhook:send`, the tests and the benchmarks, so it only depends on
// `standardwebhooks` (the reference Standard Webhooks signer that Svix implements) and Node built-ins.
//
// Shapes follow @clerk/backend's UserJSON / EmailAddressJSON / PhoneNumberJSON / ExternalAccountJSON
// and the `Webhook<type, data>` envelope. Every timestamp is epoch milliseconds, as Clerk sends them.

import { randomBytes, randomInt } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Clerk ids are a prefix plus 27 base62 characters (a KSUID), e.g. `user_2xYz...`. */
export function clerkId(prefix) {
  return `${prefix}_${base62(27)}`
}

function base62(length) {
  let out = ''
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)]
  return out
}

/** A fresh `whsec_` secret in the format the Clerk Dashboard shows (base64 of 24 random bytes). */
export function makeSigningSecret() {
  return `whsec_${randomBytes(24).toString('base64')}`
}

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia', 'Tim', 'Hedy', 'Edsger', 'Katherine', 'Guido', 'Sophie']
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Ritchie', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Lamarr', 'Dijkstra', 'Johnson', 'van Rossum', 'Wilson']
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
]
const GOOGLE_SCOPES = 'email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile'

// Clerk names the verification object after the kind of check that was done.
const VERIFICATION_OBJECTS = {
  email_code: 'verification_otp',
  phone_code: 'verification_otp',
  oauth_google: 'verification_oauth',
  from_oauth_google: 'verification_from_oauth',
}

const pick = list => list[randomInt(list.length)]
const digits = n => Array.from({ length: n }, () => randomInt(10)).join('')

/** Any object is either a plain object to merge into, or replaced wholesale (arrays, null, scalars). */
const isPlainObject = v => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * A complete Clerk UserJSON: a user who signed up with email + password, verified a phone number
 * and linked a Google account. `overrides` are merged in (top level; plain-object fields such as
 * `public_metadata` are replaced, not deep-merged, because that is what a Clerk update does).
 * Convenience overrides: `email` (primary email address) and `now` (epoch ms used for timestamps).
 */
export function makeUser(overrides = {}) {
  const { email, now: nowOverride, ...fields } = overrides
  const now = nowOverride ?? Date.now()
  // Signed up a few minutes ago; the primary email was verified right after.
  const createdAt = now - randomInt(60_000, 600_000)
  const firstName = fields.first_name ?? pick(FIRST_NAMES)
  const lastName = fields.last_name ?? pick(LAST_NAMES)
  const handle = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '')
  const emailAddress = email ?? `${handle}+${digits(4)}@example.com`

  const emailId = clerkId('idn')
  const googleEmailId = clerkId('idn')
  const phoneId = clerkId('idn')
  const googleAccountId = clerkId('idn')
  const providerUserId = digits(21)
  const verified = (strategy, at) => ({
    object: VERIFICATION_OBJECTS[strategy],
    status: 'verified',
    strategy,
    attempts: strategy.startsWith('oauth_') ? null : 1,
    expire_at: at + 600_000,
  })

  const user = {
    id: clerkId('user'),
    object: 'user',
    username: `${handle.replace('.', '_')}${digits(2)}`,
    first_name: firstName,
    last_name: lastName,
    image_url: `https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYvb2F1dGhfZ29vZ2xlL2ltZ18${digits(8)}`,
    has_image: true,
    primary_email_address_id: emailId,
    primary_phone_number_id: phoneId,
    primary_web3_wallet_id: null,
    password_enabled: true,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    email_addresses: [
      {
        id: emailId,
        object: 'email_address',
        email_address: emailAddress,
        reserved: false,
        verification: verified('email_code', createdAt),
        linked_to: [],
        matches_sso_connection: false,
        created_at: createdAt,
        updated_at: createdAt + 42_000,
      },
      {
        id: googleEmailId,
        object: 'email_address',
        email_address: `${handle}@gmail.com`,
        reserved: false,
        verification: verified('from_oauth_google', createdAt),
        linked_to: [{ type: 'oauth_google', id: googleAccountId }],
        matches_sso_connection: false,
        created_at: createdAt + 90_000,
        updated_at: createdAt + 90_000,
      },
    ],
    phone_numbers: [
      {
        id: phoneId,
        object: 'phone_number',
        phone_number: `+1555${digits(7)}`,
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: verified('phone_code', createdAt),
        linked_to: [],
        backup_codes: null,
        created_at: createdAt + 60_000,
        updated_at: createdAt + 75_000,
      },
    ],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [
      {
        id: googleAccountId,
        object: 'external_account',
        provider: 'oauth_google',
        identification_id: googleEmailId,
        provider_user_id: providerUserId,
        approved_scopes: GOOGLE_SCOPES,
        email_address: `${handle}@gmail.com`,
        first_name: firstName,
        last_name: lastName,
        avatar_url: `https://lh3.googleusercontent.com/a/ACg8ocK${base62(40)}=s96-c`,
        image_url: `https://img.clerk.com/${digits(12)}`,
        username: null,
        phone_number: null,
        public_metadata: {},
        label: null,
        verification: verified('oauth_google', createdAt + 90_000),
        created_at: createdAt + 90_000,
        updated_at: createdAt + 90_000,
      },
    ],
    enterprise_accounts: [],
    saml_accounts: [],
    organization_memberships: null,
    public_metadata: { role: 'member', plan: pick(['free', 'pro', 'team']) },
    private_metadata: { stripe_customer_id: `cus_${base62(14)}` },
    unsafe_metadata: { onboarding_complete: true, theme: pick(['light', 'dark', 'system']) },
    external_id: null,
    password_last_updated_at: createdAt,
    banned: false,
    locked: false,
    deprovisioned: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: 100,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    legal_accepted_at: createdAt,
    locale: null,
    timezone: null,
    last_sign_in_at: createdAt + 95_000,
    last_active_at: now - randomInt(0, 30_000),
    created_at: createdAt,
    updated_at: now,
  }

  for (const [key, value] of Object.entries(fields)) user[key] = value
  return user
}

/**
 * The same user as Clerk would send it in a later `user.updated`: `updated_at` and `last_active_at`
 * move to `now` (default Date.now(), kept strictly after the previous `updated_at`), then `overrides` apply.
 */
export function touchUser(user, overrides = {}) {
  const { now: nowOverride, ...fields } = overrides
  const now = Math.max(nowOverride ?? Date.now(), (user.updated_at ?? 0) + 1)
  const next = structuredClone(user)
  next.updated_at = now
  next.last_active_at = now
  for (const [key, value] of Object.entries(fields)) {
    next[key] = isPlainObject(value) && isPlainObject(next[key]) ? { ...value } : value
  }
  return next
}

// One instance per process, like one Clerk application sending all the events.
const INSTANCE_ID = clerkId('ins')

/** The Svix event envelope Clerk wraps every payload in. */
function envelope(type, data, timestamp) {
  return {
    data,
    object: 'event',
    type,
    timestamp,
    instance_id: INSTANCE_ID,
    event_attributes: {
      http_request: { client_ip: `203.0.113.${randomInt(1, 255)}`, user_agent: pick(USER_AGENTS) },
    },
  }
}

/**
 * `user.created` / `user.updated` event for `user`. `timestamp` (epoch ms) defaults to the user's
 * `updated_at`, which is when Clerk emits the event.
 */
export function userEvent(type, user, { timestamp } = {}) {
  return envelope(type, user, timestamp ?? user.updated_at ?? Date.now())
}

/** `user.deleted` event: Clerk sends only the deleted object's id, never the profile. */
export function deletedEvent(id, { timestamp } = {}) {
  return envelope('user.deleted', { id, object: 'user', deleted: true }, timestamp ?? Date.now())
}

/**
 * Any other event type (session.created, organization.created, ...), with a plausible minimal body.
 * This app ignores them; they exist to show that it answers 200 `ignored`.
 */
export function otherEvent(type, { userId = clerkId('user'), timestamp = Date.now() } = {}) {
  const [resource] = type.split('.')
  const data = resource === 'session'
    ? {
        id: clerkId('sess'),
        object: 'session',
        user_id: userId,
        client_id: clerkId('client'),
        status: 'active',
        last_active_at: timestamp,
        expire_at: timestamp + 7 * 86_400_000,
        abandon_at: timestamp + 30 * 86_400_000,
        created_at: timestamp,
        updated_at: timestamp,
      }
    : { id: clerkId(resource.slice(0, 4)), object: resource, created_at: timestamp, updated_at: timestamp }
  return envelope(type, data, timestamp)
}

/**
 * Headers for one delivery, signed exactly as Svix does: `v1,` + base64 HMAC-SHA256 of
 * `${svix-id}.${svix-timestamp}.${body}` with the base64-decoded secret (standardwebhooks' Webhook#sign).
 *
 * @param {string} secret `whsec_...`
 * @param {string} payload the exact body that will be sent
 * @param {{ id?: string, timestamp?: number | Date }} [options] `timestamp` in seconds (or a Date); default now
 * @returns {{ 'content-type': string, 'svix-id': string, 'svix-timestamp': string, 'svix-signature': string }}
 */
export function signDelivery(secret, payload, { id, timestamp } = {}) {
  const msgId = id ?? clerkId('msg')
  const date = timestamp instanceof Date ? timestamp : new Date((timestamp ?? Math.floor(Date.now() / 1000)) * 1000)
  return {
    'content-type': 'application/json',
    'svix-id': msgId,
    'svix-timestamp': String(Math.floor(date.getTime() / 1000)),
    'svix-signature': webhookFor(secret).sign(msgId, date, payload),
  }
}

// Decoding the secret once matters for the benchmarks, which pre-sign thousands of deliveries.
const signers = new Map()
function webhookFor(secret) {
  let wh = signers.get(secret)
  if (!wh) signers.set(secret, wh = new Webhook(secret))
  return wh
}
