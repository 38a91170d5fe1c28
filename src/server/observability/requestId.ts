import crypto from 'node:crypto'

export const requestIdHeader = 'x-request-id'

/** The client address as our HTTP server saw it; any incoming header of this name is replaced. */
export const clientIpHeader = 'x-catalog-client-ip'

/** What we accept from a client or proxy: short, printable, no separators that could forge log lines. */
const acceptedRequestId = /^[A-Za-z0-9._:-]{8,128}$/

/** The incoming X-Request-Id when it is well-formed (so a proxy's id joins the logs), else a new one. */
export const resolveRequestId = (incoming: string | string[] | undefined): string => {
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming
  return candidate && acceptedRequestId.test(candidate) ? candidate : crypto.randomUUID()
}
