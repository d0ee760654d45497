#!/usr/bin/env node
// `npm run webhook:send -- user.created`: like `stripe trigger`, for Clerk webhooks.
// Builds a realistic event, signs it exactly as Svix does and POSTs it to the app.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { deletedEvent, makeSigningSecret, makeUser, otherEvent, signDelivery, touchUser, userEvent } from './lib/clerk-events.mjs'
import { findSigningSecret, storageBase } from './lib/signing-secret.mjs'

const DEFAULT_URL = 'http://localhost:3000/api/webhooks'
const MAX_COUNT = 10_000
const LAST_USER_FILE = '.last-webhook-user'

const USAGE = `Usage: npm run webhook:send -- <event-type> [options]

Signs a realistic Clerk webhook event exactly as Svix does, POSTs it to the app
and prints the status and body.

Event types:
  user.created          a new user (emails, phone, Google account, metadata; timestamps in ms)
  user.updated          the user changed (updated_at = now; a new first name unless you set fields)
  user.deleted          the user was deleted
  anything else         e.g. session.created: sent as is, the app answers 200 "ignored"

Options:
  --url <url>           endpoint (default ${DEFAULT_URL})
  --id <user id>        the user to update or delete (or to create with this id).
                        Without it, user.updated/user.deleted use the last user created by this
                        script (kept in <data dir>/${LAST_USER_FILE})
  --count <n>           send n deliveries, one after another (user.created: n different users;
                        user.updated: n successive updates). Default 1, max ${MAX_COUNT}
  --first-name <name>   set first_name (user.created, user.updated)
  --last-name <name>    set last_name
  --email <address>     set the primary email address
  --secret <whsec_...>  sign with this secret instead of looking one up
  -h, --help            show this help

Scenarios (one at a time; each shows a guarantee of the app):
  --duplicate           the same delivery twice: 200 applied, then 200 duplicate
  --stale               an update, then an older update of the same user: 200 applied, then 200 stale
  --bad-signature       a delivery signed with the wrong secret: 400 signature_mismatch, nothing stored

Signing secret, first found: $NUXT_CLERK_WEBHOOK_SIGNING_SECRET (first of a space/comma list),
then NUXT_CLERK_WEBHOOK_SIGNING_SECRET in ./.env, then the local-mode secret
<NUXT_STORAGE_BASE or .data/clerk>/local-webhook-secret written by \`npm run dev\`.

Exit code: 0 when every answer is 2xx (for --bad-signature: the expected 400) and every
scenario's expected outcome was seen; 1 otherwise.

Examples:
  npm run webhook:send -- user.created
  npm run webhook:send -- user.updated --first-name Ada
  npm run webhook:send -- user.deleted --id user_2abc...
  npm run webhook:send -- user.created --count 50
  npm run webhook:send -- user.created --duplicate
  npm run webhook:send -- session.created --url https://my-app.example.com/api/webhooks
`

/** Wrong invocation: the message plus a pointer to --help. */
class UsageError extends Error {}
/** Nothing to send or nowhere to send it: the message alone. */
class FatalError extends Error {}

function parseCli(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'url': { type: 'string', default: DEFAULT_URL },
        'id': { type: 'string' },
        'count': { type: 'string', default: '1' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
        'email': { type: 'string' },
        'secret': { type: 'string' },
        'duplicate': { type: 'boolean', default: false },
        'stale': { type: 'boolean', default: false },
        'bad-signature': { type: 'boolean', default: false },
        'help': { type: 'boolean', short: 'h', default: false },
      },
    })
  }
  catch (error) {
    throw new UsageError(error.message)
  }
  const { values, positionals } = parsed
  if (values.help) return { help: true }

  if (positionals.length !== 1) throw new UsageError('Give exactly one event type, e.g. user.created')
  const [type] = positionals
  if (!/^[a-zA-Z]+(?:\.[a-zA-Z_]+)+$/.test(type)) throw new UsageError(`"${type}" does not look like a Clerk event type (e.g. user.created)`)

  const count = Number(values.count)
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new UsageError(`--count must be an integer from 1 to ${MAX_COUNT}`)

  const scenarios = ['duplicate', 'stale', 'bad-signature'].filter(name => values[name])
  if (scenarios.length > 1) throw new UsageError(`Choose one scenario, not ${scenarios.map(s => `--${s}`).join(' and ')}`)
  const scenario = scenarios[0] ?? null
  if (scenario && count > 1) throw new UsageError(`--count cannot be combined with --${scenario}`)
  if (scenario === 'stale' && !['user.created', 'user.updated'].includes(type)) throw new UsageError('--stale needs user.created or user.updated')
  if (type === 'user.created' && values.id && count > 1) throw new UsageError('--count with user.created makes different users: drop --id')

  let url
  try {
    url = new URL(values.url)
  }
  catch {
    throw new UsageError(`--url is not a URL: ${values.url}`)
  }

  const fields = {}
  if (values['first-name'] !== undefined) fields.first_name = values['first-name']
  if (values['last-name'] !== undefined) fields.last_name = values['last-name']
  return { type, url, count, scenario, id: values.id, email: values.email, fields, secret: values.secret }
}

// --- the user the command is about ---------------------------------------------------------

function lastUserPath() {
  return resolve(storageBase(), LAST_USER_FILE)
}

function readLastUserId() {
  try {
    return readFileSync(lastUserPath(), 'utf8').trim() || null
  }
  catch {
    return null
  }
}

function rememberLastUser(id) {
  const path = lastUserPath()
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${id}\n`)
  return path
}

function forgetLastUser(id) {
  if (readLastUserId() === id) rmSync(lastUserPath(), { force: true })
}

function targetUserId(cli) {
  if (cli.id) return cli.id
  const last = readLastUserId()
  if (last) {
    console.log(`Using the last user created by this script: ${last} (from ${relative(process.cwd(), lastUserPath())}; pass --id to choose)`)
    return last
  }
  throw new UsageError(`${cli.type} needs --id <user id> (no remembered user: run user.created first)`)
}

/**
 * The stored copy, when the app lets us read it (local mode answers loopback), so an update keeps
 * the user's emails and names the way a real Clerk update would. Null when unreadable.
 */
async function fetchStoredUser(url, id) {
  try {
    const response = await fetch(new URL(`/api/users/${encodeURIComponent(id)}`, url), { signal: AbortSignal.timeout(2000) })
    if (!response.ok) return { status: response.status, user: null }
    const user = await response.json()
    return { status: response.status, user: user && user.id === id ? user : null }
  }
  catch {
    return { status: null, user: null }
  }
}

const NEW_FIRST_NAMES = ['Ada', 'Grace', 'Hedy', 'Katherine', 'Radia', 'Barbara', 'Frances', 'Margaret']

async function updatedUser(cli, id) {
  const { user: stored } = await fetchStoredUser(cli.url, id)
  const base = stored ?? makeUser({ id })
  if (!stored) console.log(`(The stored copy of ${id} is not readable here: sending a generated profile with that id.)`)
  const changes = { ...cli.fields }
  if (!Object.keys(changes).length && !cli.email) {
    // Make the update visible in the admin page.
    changes.first_name = NEW_FIRST_NAMES.filter(n => n !== base.first_name)[Math.floor(Math.random() * 7)]
  }
  const next = touchUser(base, changes)
  if (cli.email) setPrimaryEmail(next, cli.email)
  return next
}

function setPrimaryEmail(user, email) {
  const primary = user.email_addresses?.find(e => e.id === user.primary_email_address_id)
  if (primary) primary.email_address = email
}

function createdUser(cli) {
  return makeUser({ ...cli.fields, ...(cli.id ? { id: cli.id } : {}), ...(cli.email ? { email: cli.email } : {}) })
}

// --- sending -------------------------------------------------------------------------------

/** One signed delivery, ready to send (and to send again, for --duplicate). */
function delivery(secret, event) {
  const body = JSON.stringify(event)
  return { event, body, headers: signDelivery(secret, body) }
}

function userIdOf(event) {
  return event.data?.object === 'user' ? event.data.id : event.data?.user_id ?? null
}

async function post(url, { event, body, headers }, { quiet = false } = {}) {
  const userId = userIdOf(event)
  if (!quiet) console.log(`POST ${url}  ${event.type}${userId ? `  ${userId}` : ''}  (svix-id ${headers['svix-id']})`)
  let response
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
  }
  catch (error) {
    const code = error.cause?.code ?? error.name
    throw new FatalError(`Cannot reach ${url} (${code}). Is the app running? Start it with \`npm run dev\`, or pass --url.`)
  }
  const text = await response.text()
  let json = null
  try {
    json = JSON.parse(text)
  }
  catch { /* not JSON: print as text */ }
  if (!quiet) console.log(`  ${response.status} ${text.length > 500 ? `${text.slice(0, 500)}...` : text}`)
  return { status: response.status, ok: response.ok, outcome: json?.outcome ?? null, reason: json?.reason ?? json?.data?.reason ?? null }
}

function check(label, condition, failures) {
  console.log(`  ${condition ? 'ok' : 'UNEXPECTED'}: ${label}`)
  if (!condition) failures.push(label)
}

function buildEvent(cli, user) {
  if (cli.type === 'user.created' || cli.type === 'user.updated') return userEvent(cli.type, user)
  if (cli.type === 'user.deleted') return deletedEvent(user.id)
  return otherEvent(cli.type, { userId: user?.id })
}

async function run(cli) {
  let found
  try {
    found = cli.secret ? { secret: cli.secret, source: '--secret' } : findSigningSecret()
  }
  catch (error) {
    throw new FatalError(error.message)
  }
  const { secret, source } = found
  try {
    signDelivery(secret, '')
  }
  catch (error) {
    throw new FatalError(`The secret from ${source} is not a usable whsec_ secret (${error.message})`)
  }
  console.log(`Signing with the secret from ${source}`)
  const failures = []
  const isUserType = cli.type.startsWith('user.')
  const isKnownUserType = ['user.created', 'user.updated', 'user.deleted'].includes(cli.type)
  if (isUserType && !isKnownUserType) console.log(`(${cli.type} is not a user event this app stores: expect 200 "ignored".)`)

  const userFor = async () => {
    if (cli.type === 'user.created') return createdUser(cli)
    if (cli.type === 'user.updated') return updatedUser(cli, targetUserId(cli))
    if (cli.type === 'user.deleted') return { id: targetUserId(cli) }
    return cli.id ? { id: cli.id } : null
  }
  const afterApplied = (event, result, { quiet = false } = {}) => {
    if (!result.ok) return
    if (event.type === 'user.created') {
      const path = rememberLastUser(event.data.id)
      if (!quiet) console.log(`  (kept ${event.data.id} in ${relative(process.cwd(), path)} for user.updated/user.deleted without --id)`)
    }
    if (event.type === 'user.deleted' && result.outcome === 'applied') forgetLastUser(event.data.id)
  }

  if (cli.scenario === 'duplicate') {
    const d = delivery(secret, buildEvent(cli, await userFor()))
    const first = await post(cli.url, d)
    afterApplied(d.event, first)
    console.log('Sending the same delivery again (same svix-id, body and signature), as a Svix retry would:')
    const second = await post(cli.url, d)
    check('first answer is 2xx', first.ok, failures)
    check('second answer is 200 "duplicate"', second.status === 200 && second.outcome === 'duplicate', failures)
  }
  else if (cli.scenario === 'stale') {
    const user = await userFor()
    const newer = delivery(secret, buildEvent(cli, user))
    const first = await post(cli.url, newer)
    afterApplied(newer.event, first)
    const older = touchUser(user, { first_name: `${user.first_name ?? 'Stale'} (older)` })
    older.updated_at = older.last_active_at = user.updated_at - 60_000
    console.log(`Sending an older version of the same user (updated_at 60 s earlier), as an out-of-order delivery would:`)
    const second = await post(cli.url, delivery(secret, userEvent('user.updated', older)))
    check('first answer is 200 "applied"', first.status === 200 && first.outcome === 'applied', failures)
    check('second answer is 200 "stale"', second.status === 200 && second.outcome === 'stale', failures)
  }
  else if (cli.scenario === 'bad-signature') {
    const user = await userFor()
    const event = buildEvent(cli, user)
    const body = JSON.stringify(event)
    const d = { event, body, headers: signDelivery(makeSigningSecret(), body) }
    console.log('Signing with a random secret the app does not know:')
    const result = await post(cli.url, d)
    check('answer is 400 "signature_mismatch"', result.status === 400 && result.reason === 'signature_mismatch', failures)
    if (user?.id && cli.type === 'user.created') {
      const { status } = await fetchStoredUser(cli.url, user.id)
      if (status === 404) console.log(`  ok: GET /api/users/${user.id} is 404: nothing was stored`)
    }
  }
  else {
    const quiet = cli.count > 20
    const tally = new Map()
    let user = null
    for (let i = 0; i < cli.count; i++) {
      // Successive updates of one user must each be newer than the last.
      user = cli.type === 'user.updated' && user ? touchUser(user, cli.fields) : await userFor()
      const d = delivery(secret, buildEvent(cli, user))
      const result = await post(cli.url, d, { quiet })
      afterApplied(d.event, result, { quiet: quiet && i < cli.count - 1 })
      if (!result.ok) failures.push(`${d.headers['svix-id']}: ${result.status}`)
      const key = `${result.status} ${result.outcome ?? result.reason ?? ''}`.trim()
      tally.set(key, (tally.get(key) ?? 0) + 1)
    }
    if (cli.count > 1) console.log(`Sent ${cli.count}: ${[...tally].map(([k, n]) => `${n} x ${k}`).join(', ')}`)
  }

  return failures.length ? 1 : 0
}

async function main() {
  try {
    const cli = parseCli(process.argv.slice(2))
    if (cli.help) {
      process.stdout.write(USAGE)
      return 0
    }
    return await run(cli)
  }
  catch (error) {
    if (error instanceof UsageError || error instanceof FatalError) {
      console.error(`webhook:send: ${error.message}`)
      if (error instanceof UsageError) console.error('Run `npm run webhook:send -- --help` for usage.')
      return 1
    }
    throw error
  }
}

process.exitCode = await main()
