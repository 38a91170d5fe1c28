/** `values` in runs of at most `size`. */
export const chunkByCount = <T>(values: readonly T[], size: number): T[][] => {
  const chunks: T[][] = []
  for (let start = 0; start < values.length; start += size)
    chunks.push(values.slice(start, start + size))
  return chunks
}

/**
 * `values` in runs whose space-separated text is at most `maxBytes` long (ASCII); a value longer
 * than that on its own goes alone.
 */
export const chunkByBytes = (values: readonly string[], maxBytes: number): string[][] => {
  const chunks: string[][] = []
  let current: string[] = []
  let length = 0
  for (const value of values) {
    const added = current.length === 0 ? value.length : length + 1 + value.length
    if (current.length > 0 && added > maxBytes) {
      chunks.push(current)
      current = [value]
      length = value.length
      continue
    }
    current.push(value)
    length = added
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
