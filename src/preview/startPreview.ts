import type { Payload } from 'payload'

import { hasCatalogEditingRole } from '../config/access'
import { privateCacheControl } from '../server/security/privateResponses'
import { previewPageUrl, readPreviewTarget } from './previewRoutes'

type StartPreviewArgs = {
  payload: Payload
  request: Request
  /** Next's `(await draftMode()).enable()`; called only once the editor is known. */
  enableDraftMode: () => void
}

const refuse = (status: 400 | 401 | 403, message: string) =>
  Response.json(
    { errors: [{ message }] },
    { status, headers: { 'Cache-Control': privateCacheControl } },
  )

/**
 * The start of a live preview (GET /preview?collection=items&id=12), the URL the admin's
 * live-preview iframe loads. Only a signed-in catalog editor or admin gets draft mode; anyone else
 * gets a 401 or 403 and no cookie. Draft mode only says "this browser asked for drafts": the page
 * checks the Payload session again on every request before it shows one.
 */
export const startPreview = async ({
  payload,
  request,
  enableDraftMode,
}: StartPreviewArgs): Promise<Response> => {
  const { user } = await payload.auth({ headers: request.headers })
  if (!user) return refuse(401, 'Sign in to the admin to preview drafts.')
  if (!hasCatalogEditingRole(user)) return refuse(403, 'Only catalog editors can preview drafts.')
  const target = readPreviewTarget(new URL(request.url).searchParams)
  if (!target) return refuse(400, 'Say what to preview: ?collection=items|categories&id=<id>.')
  enableDraftMode()
  // Relative: the browser resolves it on the origin it asked, whatever name the server has.
  return new Response(null, {
    status: 307,
    headers: { Location: previewPageUrl(target), 'Cache-Control': privateCacheControl },
  })
}

/** Leaves preview: no check needed, turning drafts off is harmless for anyone. */
export const exitPreview = ({ disableDraftMode }: { disableDraftMode: () => void }): Response => {
  disableDraftMode()
  return new Response(null, {
    status: 307,
    headers: { Location: '/', 'Cache-Control': privateCacheControl },
  })
}
