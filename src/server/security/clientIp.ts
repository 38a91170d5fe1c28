import net from 'node:net'

type ResolveClientIpArgs = {
  /** The X-Forwarded-For header(s) as received. */
  forwardedFor: string | string[] | undefined
  /** The address of the peer that opened the TCP connection. */
  socketAddress: string | undefined
  /** How many proxies in front of the app append to X-Forwarded-For (TRUST_PROXY). */
  trustedHops: number
}

/** `::ffff:203.0.113.7` is how Node reports an IPv4 peer on a dual-stack socket. */
const normalise = (address: string): string =>
  address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')

/**
 * The client address to rate-limit and audit by. Each trusted proxy appends the address it received
 * the request from, so the client is `trustedHops` entries from the right of the chain that ends
 * with the socket peer; everything further left was written by the client and may be forged. With
 * no trusted hops, X-Forwarded-For is ignored entirely.
 */
export const resolveClientIp = ({
  forwardedFor,
  socketAddress,
  trustedHops,
}: ResolveClientIpArgs): string => {
  const peer = normalise(socketAddress ?? '')
  if (trustedHops === 0) return peer
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => normalise(entry.trim()))
    .filter(Boolean)
  const chain = [...forwarded, peer]
  // Fewer entries than trusted hops: the request skipped a proxy; the leftmost entry is the best
  // we have and was still written by one of ours.
  const candidate = chain[Math.max(0, chain.length - 1 - trustedHops)]
  return net.isIP(candidate) ? candidate : peer
}
