/**
 * Marks the values {@link reject} makes. A refusal is recognised by this mark, never by its shape:
 * the parsed JSON a client sends travels through the same return types, and a body such as
 * `{"status": 500, "message": "…"}` must stay data, not become the answer's status.
 */
const rejectionMark: unique symbol = Symbol('rejection')

/** Why a request is refused before Payload sees it: the status and a message a client can act on. */
export type Rejection = { readonly [rejectionMark]: true; status: number; message: string }

export const reject = (status: number, message: string): Rejection => ({
  [rejectionMark]: true,
  status,
  message,
})

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && rejectionMark in value
