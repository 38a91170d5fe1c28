import config from '@payload-config'
import { draftMode } from 'next/headers'
import { getPayload } from 'payload'

import { startPreview } from '../../../preview/startPreview'

// Per request, never prerendered: it reads the session and sets a cookie.
export const dynamic = 'force-dynamic'

/** The admin's live-preview iframe starts here; see startPreview. */
export const GET = async (request: Request): Promise<Response> => {
  const payload = await getPayload({ config })
  const draft = await draftMode()
  return startPreview({ payload, request, enableDraftMode: () => draft.enable() })
}
