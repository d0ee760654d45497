// Storage configuration and failure modes on the production build: fs paths resolve against the
// server's cwd, the memory driver works, and a broken svix-id store fails closed (503, nothing applied).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getUser, listUsers, snapshot } from '../helpers/api'
import { deletedEvent, makeUser, otherEvent, userEvent } from '../helpers/clerk-events'
import { makeTempDir, startServer } from '../helpers/server'
import { newSvixId, sendWebhook, type WebhookAnswer } from '../helpers/webhooks'

describe('where data lives', () => {
  it('a relative NUXT_STORAGE_BASE resolves against each server\'s cwd, so two folders never share data', async () => {
    const [dirA, dirB] = [makeTempDir(), makeTempDir()]
    const a = await startServer({ cwd: dirA, env: { NUXT_STORAGE_BASE: 'state/clerk' } })
    const b = await startServer({ cwd: dirB, env: { NUXT_STORAGE_BASE: 'state/clerk' } })
    const user = makeUser()
    expect((await sendWebhook(a.url, userEvent('user.created', user))).body.outcome).toBe('applied')
    expect(await getUser(a.url, user.id)).toEqual(user)
    expect(await getUser(b.url, user.id)).toBeNull()
    expect(existsSync(join(dirA, 'state/clerk/v1/users'))).toBe(true)
    expect(existsSync(join(dirB, 'state/clerk/v1/users'))).toBe(false)
    await Promise.all([a.stop(), b.stop()])
  })

  it('with no NUXT_STORAGE_BASE the data goes to .data/clerk under the cwd', async () => {
    const dir = makeTempDir()
    const server = await startServer({ cwd: dir, env: { NUXT_STORAGE_BASE: undefined } })
    await sendWebhook(server.url, userEvent('user.created', makeUser()))
    expect(existsSync(join(dir, '.data/clerk/v1/users'))).toBe(true)
    await server.stop()
  })

  it('NUXT_STORAGE_DRIVER=memory stores nothing on disk and keeps the same guarantees', async () => {
    const dir = makeTempDir()
    const server = await startServer({ cwd: dir, env: { NUXT_STORAGE_DRIVER: 'memory', NUXT_STORAGE_BASE: undefined } })
    const user = makeUser()
    const id = newSvixId()
    expect((await sendWebhook(server.url, userEvent('user.created', user), { id })).body.outcome).toBe('applied')
    expect((await sendWebhook(server.url, userEvent('user.created', user), { id })).body.outcome).toBe('duplicate')
    expect(await getUser(server.url, user.id)).toEqual(user)
    await sendWebhook(server.url, deletedEvent(user.id))
    expect((await sendWebhook(server.url, userEvent('user.updated', { ...user, updated_at: user.updated_at + 1000 }))).body.outcome).toBe('stale')
    expect(existsSync(join(dir, '.data'))).toBe(false)
    await server.stop()
  })
})

describe('a broken svix-id store fails closed', () => {
  // Reading a mark must fail loudly: a read error taken for "seen before" would answer 200 duplicate
  // and Svix would never retry, silently losing the delivery. Marks of user deliveries live in the
  // user's record (the users-dir failure is in ingest.test.ts); other event types have their own.
  it('503 storage_unavailable, nothing recorded; the retry is ignored once, then a duplicate', async () => {
    const server = await startServer()
    await sendWebhook(server.url, otherEvent('session.created')) // creates v1/svix
    const svixDir = join(server.storageBase!, 'v1', 'svix')
    const parked = `${svixDir}.parked`
    const payload = JSON.stringify(otherEvent('session.created'))
    const id = newSvixId()
    const before = await snapshot(server)

    renameSync(svixDir, parked)
    writeFileSync(svixDir, 'not a directory')
    let failed: WebhookAnswer | undefined
    try {
      failed = await sendWebhook(server.url, payload, { id })
    }
    finally {
      rmSync(svixDir, { force: true })
      mkdirSync(join(server.storageBase!, 'v1'), { recursive: true })
      renameSync(parked, svixDir)
    }
    expect(failed!.status, JSON.stringify(failed!.body)).toBe(503)
    expect(failed!.body).toMatchObject({ ok: false, reason: 'storage_unavailable' })
    expect(await snapshot(server)).toEqual(before)

    expect((await sendWebhook(server.url, payload, { id })).body).toEqual({ ok: true, outcome: 'ignored' })
    expect((await sendWebhook(server.url, payload, { id })).body).toEqual({ ok: true, outcome: 'duplicate' })
    expect((await listUsers(server.url)).data).toEqual(before.users)
    await server.stop()
  })
})
