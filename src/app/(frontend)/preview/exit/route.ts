import { draftMode } from 'next/headers'

import { exitPreview } from '../../../../preview/startPreview'

export const dynamic = 'force-dynamic'

/** "Leave preview" on the preview banner. */
export const GET = async (): Promise<Response> => {
  const draft = await draftMode()
  return exitPreview({ disableDraftMode: () => draft.disable() })
}
