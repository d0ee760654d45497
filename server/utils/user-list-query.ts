import { z } from 'zod'
import { USER_ORDER_FIELDS, type UserListQuery } from '#shared/types'

const ORDER_BY_VALUES = USER_ORDER_FIELDS.flatMap(field => [field, `+${field}`, `-${field}`])

const one = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value)
const intInRange = (min: number, max: number) => z.preprocess(
  one,
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max)),
)

const UserListQuerySchema = z.object({
  query: z.preprocess(one, z.string().max(256)).default(''),
  // `+` in a query string decodes to a space: accept " created_at" as "+created_at".
  orderBy: z.preprocess(v => (typeof one(v) === 'string' ? (one(v) as string).replace(/^ /, '+') : one(v)), z.enum(ORDER_BY_VALUES as [string, ...string[]])).default('-created_at'),
  limit: intInRange(1, 500).default(50),
  offset: intInRange(0, Number.MAX_SAFE_INTEGER).default(0),
})

/** Parse the list query as Clerk's Backend API names it; a bad value is a 400 naming the parameter. */
export function parseUserListQuery(input: Record<string, unknown>): UserListQuery {
  const parsed = UserListQuerySchema.safeParse(input)
  if (parsed.success) return parsed.data as UserListQuery
  const issue = parsed.error.issues[0]!
  const param = String(issue.path[0] ?? 'query')
  throw createError({
    statusCode: 400,
    statusMessage: 'Bad Request',
    message: `Invalid "${param}": ${param === 'orderBy' ? `use one of ${USER_ORDER_FIELDS.join(', ')} with optional +/-` : issue.message}`,
    data: { parameter: param },
  })
}
