import config from '@payload-config'
import '@payloadcms/next/css'

import { createRestRouteHandlers } from '@/server/requestValidation/restRoutes'

// Every request is validated before Payload's handlers see it (see docs/SECURITY.md).
const handlers = createRestRouteHandlers(config)

export const GET = handlers.GET
export const POST = handlers.POST
export const DELETE = handlers.DELETE
export const PATCH = handlers.PATCH
export const PUT = handlers.PUT
export const OPTIONS = handlers.OPTIONS
