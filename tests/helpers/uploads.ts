import type { Payload } from 'payload'

import type { Media } from '../../payload-types'
import { loginToken, rest } from './http'
import { makeJpeg } from './images'
import { createUser, testPassword } from './payload'

type UploadArgs = {
  token?: string
  data: Buffer
  filename: string
  /** What the client claims; the server must not trust it. */
  contentType?: string
  alt?: string
  method?: 'POST' | 'PATCH'
  path?: string
  /** A running server (`startApiServer`) to send the upload to over HTTP. */
  baseUrl?: string
}

/**
 * Uploads a file through the REST API as the admin UI does: multipart with a `_payload` part. Goes
 * over HTTP when `baseUrl` is given, otherwise straight to the route handlers.
 */
export const uploadMedia = ({
  token,
  data,
  filename,
  contentType = 'image/jpeg',
  alt = 'Uploaded in a test',
  method = 'POST',
  path = '/api/media',
  baseUrl,
}: UploadArgs): Promise<Response> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(data)], { type: contentType }), filename)
  form.append('_payload', JSON.stringify({ alt }))
  if (!baseUrl) return rest(method, path, { token, formData: form })
  const headers: Record<string, string> = token ? { Authorization: `JWT ${token}` } : {}
  return fetch(`${baseUrl}${path}`, { method, headers, body: form })
}

/** A new editor uploads a JPEG of the given size over REST; the stored document. */
export const uploadAsNewEditor = async ({
  payload,
  filename,
  width = 1700,
  height = 1000,
}: {
  payload: Payload
  filename: string
  width?: number
  height?: number
}): Promise<Media> => {
  const editor = await createUser({ payload, role: 'editor' })
  const token = await loginToken(editor.email, testPassword)
  const response = await uploadMedia({ token, data: await makeJpeg(width, height), filename })
  if (response.status !== 201) {
    throw new Error(`upload of ${filename} answered ${response.status}: ${await response.text()}`)
  }
  return ((await response.json()) as { doc: Media }).doc
}
