import { expect } from 'vitest'

import { rest } from './http'

/**
 * What every file the app serves must carry: the stored type, a strong ETag that answers
 * If-None-Match with an empty 304, and caching that lets browsers and CDNs keep it for a year.
 */
export const expectImmutableFileResponse = async (
  path: string,
  contentType: string,
  /** How to send the GET; the app's route handlers unless a test serves another config. */
  get: (path: string, headers?: Record<string, string>) => Promise<Response> = (to, headers) =>
    rest('GET', to, { headers }),
): Promise<void> => {
  const response = await get(path)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe(contentType)
  expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  const etag = response.headers.get('etag')
  expect(etag).toMatch(/^"[^"]+"$/)
  const body = Buffer.from(await response.arrayBuffer())
  expect(body.length).toBeGreaterThan(0)

  const revalidated = await get(path, { 'If-None-Match': etag as string })
  expect(revalidated.status).toBe(304)
  expect((await revalidated.arrayBuffer()).byteLength).toBe(0)
  expect(revalidated.headers.get('etag')).toBe(etag)

  const changed = await get(path, { 'If-None-Match': '"something-else"' })
  expect(changed.status).toBe(200)
  await changed.arrayBuffer()
}
