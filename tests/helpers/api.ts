/**
 * Read the admin API of a test server as the allowlisted admin (Authorization: Bearer <adminToken()>).
 *   const res = await adminFetch(server.url, '/api/users?limit=500')      -> Response
 *   const { data, totalCount, seq } = await listUsers(server.url)          every stored user (limit 500)
 *   await getUser(server.url, id)                                          ClerkUser | null (404)
 *   await listDeliveries(server.url)                                       DeliveryRecord[] newest first
 *   await snapshot(server)                                                 users + files under the data dir
 *                                                                          (svix-id marks included): "nothing changed"
 *   await usersSnapshot(server)                                            the same without svix-id marks, for
 *                                                                          stale/ignored deliveries (their id IS recorded)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { ClerkUser, DeliveryRecord, UserListResponse } from '../../shared/types'
import { STORE_SEQ_HEADER } from '../../shared/types'
import { adminToken } from './session'

export async function adminFetch(url: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${adminToken()}`)
  return await fetch(`${url}${path}`, { ...init, headers })
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text()
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 500)}`)
  return JSON.parse(text) as T
}

export async function listUsers(url: string, query = 'limit=500'): Promise<UserListResponse & { seq: number | null }> {
  const response = await adminFetch(url, `/api/users?${query}`)
  const seqHeader = response.headers.get(STORE_SEQ_HEADER)
  const body = await json<UserListResponse>(response, `GET /api/users?${query}`)
  return { ...body, seq: seqHeader === null ? null : Number(seqHeader) }
}

export async function getUser(url: string, id: string): Promise<ClerkUser | null> {
  const response = await adminFetch(url, `/api/users/${encodeURIComponent(id)}`)
  if (response.status === 404) return null
  return await json<ClerkUser>(response, `GET /api/users/${id}`)
}

export async function listDeliveries(url: string): Promise<DeliveryRecord[]> {
  const response = await adminFetch(url, '/api/deliveries')
  return (await json<{ data: DeliveryRecord[] }>(response, 'GET /api/deliveries')).data
}

/** Every file under `dir` with its content, except the delivery log and health probe (they change on every request). */
export function storeFiles(dir: string | undefined, skip: RegExp = /(^|\/)(log|meta)(\/|$)/): Record<string, string> {
  const files: Record<string, string> = {}
  if (!dir) return files
  const walk = (current: string) => {
    let names: string[]
    try {
      names = readdirSync(current)
    }
    catch {
      return
    }
    for (const name of names) {
      const path = join(current, name)
      const rel = relative(dir, path)
      if (skip.test(rel)) continue
      if (statSync(path).isDirectory()) walk(path)
      else files[rel] = readFileSync(path, 'utf8')
    }
  }
  walk(dir)
  return files
}

export interface StoreSnapshot {
  users: ClerkUser[]
  totalCount: number
  files: Record<string, string>
}

/** What a bad delivery must not change: the user list as the API shows it, and the stored user/svix files. */
export async function snapshot(server: { url: string, storageBase: string | undefined }, skip?: RegExp): Promise<StoreSnapshot> {
  const { data, totalCount } = await listUsers(server.url)
  return { users: data, totalCount, files: storeFiles(server.storageBase, skip) }
}

/**
 * Users as the API and the data dir show them, ignoring the remembered svix-ids (the `svix`
 * marks of other event types, and the `deliveries` each user record keeps of its own).
 */
export async function usersSnapshot(server: { url: string, storageBase: string | undefined }): Promise<StoreSnapshot> {
  const taken = await snapshot(server, /(^|\/)(log|meta|svix)(\/|$)/)
  for (const [path, content] of Object.entries(taken.files)) {
    if (!/(^|\/)users\//.test(path)) continue
    const { deliveries: _remembered, ...record } = JSON.parse(content) as Record<string, unknown>
    taken.files[path] = JSON.stringify(record)
  }
  return taken
}
