import { rest } from './http'

type UploadArgs = {
  token?: string
  data: Buffer
  filename: string
  /** What the client claims; the server must not trust it. */
  contentType?: string
  alt?: string
  method?: 'POST' | 'PATCH'
  path?: string
}

/** Uploads a file through the REST API as the admin UI does: multipart with a `_payload` part. */
export const uploadMedia = ({
  token,
  data,
  filename,
  contentType = 'image/jpeg',
  alt = 'Uploaded in a test',
  method = 'POST',
  path = '/api/media',
}: UploadArgs): Promise<Response> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(data)], { type: contentType }), filename)
  form.append('_payload', JSON.stringify({ alt }))
  return rest(method, path, { token, formData: form })
}
