import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { withDatabaseUnavailableAnswer } from '@/config/errors/databaseUnavailable'
import { withGraphQLErrorStatus } from '@/config/graphql/graphqlStatus'
import { graphQLMethodNotAllowed, withGraphQLValidation } from '@/server/requestValidation'

export const POST = withDatabaseUnavailableAnswer(
  withGraphQLErrorStatus(withGraphQLValidation(config, GRAPHQL_POST(config))),
)
export const OPTIONS = REST_OPTIONS(config)
export const GET = graphQLMethodNotAllowed(config)
export const PUT = GET
export const PATCH = GET
export const DELETE = GET
