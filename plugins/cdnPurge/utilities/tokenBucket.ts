/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. Cloudflare limits
 * purge calls this way; keeping under its rate here beats being answered 429.
 */
export const createTokenBucket = ({
  ratePerSecond,
  burst,
  now = Date.now,
}: {
  ratePerSecond: number
  burst: number
  now?: () => number
}) => {
  let tokens = burst
  let updatedAt = now()
  const refill = () => {
    const time = now()
    tokens = Math.min(burst, tokens + ((time - updatedAt) / 1000) * ratePerSecond)
    updatedAt = time
  }
  return {
    /** Takes a token and answers 0, or answers how many ms until one is there (taking none). */
    take: (): number => {
      refill()
      if (tokens >= 1) {
        tokens -= 1
        return 0
      }
      return Math.ceil(((1 - tokens) / ratePerSecond) * 1000)
    },
  }
}

export type TokenBucket = ReturnType<typeof createTokenBucket>
