/** What became of one webhook delivery. */
export type DeliveryOutcome =
  | 'applied' // the store changed
  | 'duplicate' // this svix-id was seen before: nothing changed
  | 'stale' // older than (or equal to) what is stored, or the user is deleted: nothing changed
  | 'ignored' // an event type this app does not store
  | 'rejected' // bad request: verification, size or shape
  | 'failed' // storage failed: 503, Svix retries

export interface DeliveryRecord {
  /** Monotonic per server start order; orders the log. */
  n: number
  svixId: string | null
  type: string | null
  userId: string | null
  outcome: DeliveryOutcome
  status: number
  reason: string | null
  durationMs: number
  /** Epoch ms when the delivery was received. */
  receivedAt: number
}

/** `GET /api/deliveries` */
export interface DeliveryListResponse {
  data: DeliveryRecord[]
}

/** Body of every answer from `POST /api/webhooks`. */
export interface WebhookResponse {
  ok: boolean
  outcome: DeliveryOutcome
  reason?: string
  message?: string
}
