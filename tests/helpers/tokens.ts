import { graphql, rest } from './http'

/** The user a token signs in as, or null when Payload treats it as signed out. */
export const userOfToken = async (token: string): Promise<number | null> => {
  const response = await rest('GET', '/api/users/me', { token })
  const { user } = (await response.json()) as { user: { id: number } | null }
  return user?.id ?? null
}

/** What renewing the token answers, over REST and GraphQL, as a client keeping a session would. */
export const refreshAttempts = async (token: string) => {
  const restResponse = await rest('POST', '/api/users/refresh-token', { token })
  const restBody = (await restResponse.json()) as { refreshedToken?: string }
  const graphqlResponse = await graphql('mutation { refreshTokenUser { refreshedToken } }', {
    token,
  })
  const graphqlBody = (await graphqlResponse.json()) as {
    data?: { refreshTokenUser: { refreshedToken?: string } | null } | null
  }
  return {
    rest: { status: restResponse.status, refreshedToken: restBody.refreshedToken },
    graphql: {
      status: graphqlResponse.status,
      refreshedToken: graphqlBody.data?.refreshTokenUser?.refreshedToken,
    },
  }
}

/** A token whose session has ended: signed out everywhere and not renewable. */
export const refusedToken = {
  rest: { status: 403, refreshedToken: undefined },
  graphql: { status: 403, refreshedToken: undefined },
}
