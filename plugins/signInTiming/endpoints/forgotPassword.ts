import {
  addDataAndFileToRequest,
  addLocalesToRequestFromData,
  forgotPasswordOperation,
  headersWithCors,
  type CollectionSlug,
  type Endpoint,
} from 'payload'

import { inEqualTime } from '../utilities/inEqualTime'

/**
 * `POST /api/<slug>/forgot-password` as Payload answers it, no sooner than `minimumMs` after it
 * started: an unknown email and an account both answer 200, and without a common floor the delay
 * alone told which emails have accounts. Listed before Payload's own endpoints, so it is the one
 * that runs.
 */
export const getForgotPasswordEndpoint = ({
  slug,
  minimumMs,
}: {
  slug: string
  minimumMs: number
}): Endpoint => ({
  path: '/forgot-password',
  method: 'post',
  handler: async (req) => {
    await addDataAndFileToRequest(req)
    addLocalesToRequestFromData(req)
    const collection = req.payload.collections[slug as CollectionSlug]
    const fields = (req.data ?? {}) as { email?: unknown; username?: unknown }
    const data = {
      email: typeof fields.email === 'string' ? fields.email : '',
      ...(collection.config.auth?.loginWithUsername
        ? { username: typeof fields.username === 'string' ? fields.username : '' }
        : {}),
    }
    // The generated type lists `password`, but forgot-password only reads the email or username.
    const credentials = data as typeof data & { password: string }
    await inEqualTime(() => forgotPasswordOperation({ collection, data: credentials, req }), {
      minimumMs,
    })
    return Response.json(
      { message: req.t('general:success') },
      { headers: headersWithCors({ headers: new Headers(), req }) },
    )
  },
})
