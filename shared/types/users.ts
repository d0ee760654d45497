/** A Clerk user as Clerk sends it (UserJSON). Only the fields this app reads are typed; the rest is kept as is. */
export interface ClerkEmailAddress {
  id: string
  email_address: string
  verification?: { status?: string | null, strategy?: string | null } | null
  [key: string]: unknown
}

export interface ClerkPhoneNumber {
  id: string
  phone_number: string
  verification?: { status?: string | null, strategy?: string | null } | null
  [key: string]: unknown
}

export interface ClerkExternalAccount {
  id: string
  provider?: string
  email_address?: string
  username?: string | null
  [key: string]: unknown
}

export interface ClerkUser {
  id: string
  object?: 'user'
  username?: string | null
  first_name?: string | null
  last_name?: string | null
  image_url?: string | null
  has_image?: boolean
  primary_email_address_id?: string | null
  primary_phone_number_id?: string | null
  email_addresses?: ClerkEmailAddress[]
  phone_numbers?: ClerkPhoneNumber[]
  external_accounts?: ClerkExternalAccount[]
  public_metadata?: Record<string, unknown>
  private_metadata?: Record<string, unknown>
  unsafe_metadata?: Record<string, unknown>
  created_at: number
  updated_at: number
  last_sign_in_at?: number | null
  last_active_at?: number | null
  [key: string]: unknown
}

/** `GET /api/users`: the shape of Clerk's Backend API user list. */
export interface UserListResponse {
  data: ClerkUser[]
  totalCount: number
}

export const USER_ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'first_name',
  'last_name',
  'last_sign_in_at',
  'last_active_at',
] as const

export type UserOrderField = (typeof USER_ORDER_FIELDS)[number]

/** `created_at`, `+created_at` (ascending) or `-created_at` (descending). */
export type UserOrderBy = UserOrderField | `+${UserOrderField}` | `-${UserOrderField}`

export interface UserListQuery {
  query: string
  orderBy: UserOrderBy
  limit: number
  offset: number
}
