/** Requests no address was established for (direct calls to the route handlers) count as one. */
export const unknownAddress = 'unknown'

/** The account a login names, as Payload looks it up: trimmed, lower-cased, at most 320 chars. */
export const normaliseAccount = (account: unknown): string | undefined =>
  typeof account === 'string' && account.trim()
    ? account.trim().toLowerCase().slice(0, 320)
    : undefined

/** Per account *and* address: failures from elsewhere never lock the account's owner out. */
export const toAccountKey = (account: string, address: string): string => `${address}|${account}`

/** The email or username a sign-in request's body names. */
export const getAccountFromData = (data: unknown): unknown => {
  const fields = (data ?? {}) as { email?: unknown; username?: unknown }
  return fields.email ?? fields.username
}

/** Whether the request creates the first user (`POST /api/<slug>/first-register`). */
export const isFirstRegisterUrl = (url: string | undefined, slug: string): boolean =>
  Boolean(url && new URL(url, 'http://localhost').pathname.endsWith(`/${slug}/first-register`))
