import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { withGraphQLErrorStatus } from '@/security/graphqlStatus'
import { withGraphQLValidation } from '@/security/inputValidation'

export const POST = withGraphQLErrorStatus(withGraphQLValidation(config, GRAPHQL_POST(config)))
export const OPTIONS = REST_OPTIONS(config)
