import {
  REST_DELETE,
  REST_GET,
  REST_OPTIONS,
  REST_PATCH,
  REST_POST,
  REST_PUT,
} from '@payloadcms/next/routes'
import type { SanitizedConfig } from 'payload'

import { withRestValidation } from '.'

/**
 * Payload's REST route handlers, each behind the request validation. The app's catch-all route
 * exports them; tests call the very same handlers without Next.js.
 */
export const createRestRouteHandlers = (config: Promise<SanitizedConfig>) => ({
  GET: withRestValidation(config, REST_GET(config)),
  POST: withRestValidation(config, REST_POST(config)),
  DELETE: withRestValidation(config, REST_DELETE(config)),
  PATCH: withRestValidation(config, REST_PATCH(config)),
  PUT: withRestValidation(config, REST_PUT(config)),
  // Preflights carry no cookie and no body; Payload answers them with the CORS headers.
  OPTIONS: REST_OPTIONS(config),
})
