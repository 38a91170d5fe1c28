export const redactedText = '[redacted]'

/** Keys whose values are never logged, whatever they hold. */
const sensitiveKeyPattern =
  /pass(word|wd)?$|secret|token|^(salt|hash|authorization|cookie|set-cookie|api[-_]?key|x-api-key|otp|totp|backupcodes?)$/i

/** `postgres://user:password@host` → `postgres://user:[redacted]@host`, for any scheme. */
const urlCredentialsPattern = /([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@/?#\s]+@/gi

const maxDepth = 8

type ScrubberArgs = {
  /** Exact secret values to cut out of any string (env secrets, keys, passwords). */
  secretValues: (string | undefined)[]
}

export type Scrubber = (value: unknown) => unknown

/**
 * Returns a function that deep-copies a log argument with secrets removed: values under sensitive
 * keys, credentials inside URLs, and every occurrence of a known secret value in any string.
 * Errors become plain objects (type, message, stack, cause and their own fields) scrubbed the same
 * way.
 */
export const createSecretScrubber = ({ secretValues }: ScrubberArgs): Scrubber => {
  // Short values would redact ordinary words; real secrets are long.
  const secrets = [
    ...new Set(
      secretValues.filter((value): value is string => Boolean(value && value.length >= 6)),
    ),
  ]
    // Longest first, so a secret that contains another is removed whole.
    .sort((a, b) => b.length - a.length)

  const scrubString = (text: string): string => {
    let result = text.replace(urlCredentialsPattern, `$1${redactedText}@`)
    for (const secret of secrets) {
      if (result.includes(secret)) result = result.split(secret).join(redactedText)
    }
    return result
  }

  const scrub = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return scrubString(value)
    if (value === null || typeof value !== 'object') return value
    if (seen.has(value) || depth > maxDepth) return '[omitted]'
    seen.add(value)
    if (Array.isArray(value)) return value.map((entry) => scrub(entry, depth + 1, seen))
    const source: Record<string, unknown> =
      value instanceof Error
        ? {
            type: value.name,
            message: value.message,
            stack: value.stack,
            // `new Error(message, { cause })` makes the cause a hidden property; it is the why.
            ...(value.cause === undefined ? {} : { cause: value.cause }),
            ...(value as object),
          }
        : (value as Record<string, unknown>)
    const copy: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(source)) {
      copy[key] =
        sensitiveKeyPattern.test(key) && entry != null
          ? redactedText
          : scrub(entry, depth + 1, seen)
    }
    return copy
  }

  return (value) => scrub(value, 0, new WeakSet())
}
