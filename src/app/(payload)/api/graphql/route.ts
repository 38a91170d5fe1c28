import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { withDatabaseUnavailableAnswer } from '@/config/errors/databaseUnavailable'
import { withGraphQLErrorStatus } from '@/config/graphql/graphqlStatus'
import { graphQLMethodNotAllowed, withGraphQLValidation } from '@/server/requestValidation'

// GraphQL over HTTP: queries over GET too, so a URL names an anonymous query for caches. The
// validation hands a GET on to Payload's handler as the equivalent POST.
export const POST = withDatabaseUnavailableAnswer(
  withGraphQLErrorStatus(withGraphQLValidation(config, GRAPHQL_POST(config))),
)
export const GET = POST
export const OPTIONS = REST_OPTIONS(config)
export const PUT = graphQLMethodNotAllowed(config)
export const PATCH = PUT
export const DELETE = PUT
