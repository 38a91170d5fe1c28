import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { withDatabaseUnavailableAnswer } from '@/errors/databaseUnavailable'
import { withGraphQLErrorStatus } from '@/security/graphqlStatus'
import { graphQLMethodNotAllowed, withGraphQLValidation } from '@/security/inputValidation'

export const POST = withDatabaseUnavailableAnswer(
  withGraphQLErrorStatus(withGraphQLValidation(config, GRAPHQL_POST(config))),
)
export const OPTIONS = REST_OPTIONS(config)
export const GET = graphQLMethodNotAllowed(config)
export const PUT = GET
export const PATCH = GET
export const DELETE = GET
