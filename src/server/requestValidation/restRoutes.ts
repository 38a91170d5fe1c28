import {
  REST_DELETE,
  REST_GET,
  REST_OPTIONS,
  REST_PATCH,
  REST_POST,
  REST_PUT,
} from '@payloadcms/next/routes'
import type { SanitizedConfig } from 'payload'

import { withDatabaseUnavailableAnswer } from '../../config/errors/databaseUnavailable'
import { withRestValidation } from './'

/**
 * Payload's REST route handlers, each behind the request validation, and answering 503 whenever
 * the database could not be reached. The app's catch-all route exports them; tests call the very
 * same handlers without Next.js.
 */
export const createRestRouteHandlers = (config: Promise<SanitizedConfig>) => ({
  GET: withDatabaseUnavailableAnswer(withRestValidation(config, REST_GET(config))),
  POST: withDatabaseUnavailableAnswer(withRestValidation(config, REST_POST(config))),
  DELETE: withDatabaseUnavailableAnswer(withRestValidation(config, REST_DELETE(config))),
  PATCH: withDatabaseUnavailableAnswer(withRestValidation(config, REST_PATCH(config))),
  PUT: withDatabaseUnavailableAnswer(withRestValidation(config, REST_PUT(config))),
  // Preflights carry no cookie and no body; Payload answers them with the CORS headers.
  OPTIONS: REST_OPTIONS(config),
})
