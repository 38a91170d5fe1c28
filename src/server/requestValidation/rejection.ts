/**
 * Marks the values {@link reject} makes. A refusal is recognised by this mark, never by its shape:
 * the parsed JSON a client sends travels through the same return types, and a body such as
 * `{"status": 500, "message": "…"}` must stay data, not become the answer's status.
 */
const rejectionMark: unique symbol = Symbol('rejection')

/** Where in a GraphQL document a problem is, as GraphQL errors say it. */
export type DocumentLocation = { line: number; column: number }

type RejectionDetails = {
  /** For a GraphQL document that cannot be read: where, as Payload's GraphQL errors answer it. */
  locations?: readonly DocumentLocation[]
  /** For a 405: the methods that are accepted, sent as the Allow header. */
  allow?: string
}

/** Why a request is refused before Payload sees it: the status and a message a client can act on. */
export type Rejection = RejectionDetails & {
  readonly [rejectionMark]: true
  status: number
  message: string
}

export const reject = (
  status: number,
  message: string,
  details: RejectionDetails = {},
): Rejection => ({ ...details, [rejectionMark]: true, status, message })

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && rejectionMark in value
