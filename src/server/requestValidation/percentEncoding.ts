/** A `%` not followed by two hex digits, or escapes that do not decode to UTF-8. */
export const hasMalformedPercentEncoding = (text: string): boolean => {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) return true
  try {
    decodeURIComponent(text.replaceAll('+', ' '))
    return false
  } catch {
    return true
  }
}

/** PostgreSQL text cannot hold U+0000; such a value would end the query in a database error. */
export const containsNulCharacter = (text: string): boolean => text.includes('\u0000')

export const malformedPathMessage = 'The URL path has a malformed percent-escape.'

export const malformedQueryMessage = 'The query string has a malformed percent-escape.'
