import type { Config } from 'payload'

/**
 * Lets the origins in `cors` send the code header too (GraphQL's login takes the code only there):
 * without it in Access-Control-Allow-Headers, a browser on a partner site never sends the request.
 * No `cors` means no cross-origin calls at all, and stays so.
 */
export const withHeaderAllowed = (cors: Config['cors'], header: string): Config['cors'] => {
  if (!cors) return cors
  if (typeof cors === 'object' && !Array.isArray(cors)) {
    return { ...cors, headers: [...(cors.headers ?? []), header] }
  }
  return { origins: cors, headers: [header] }
}
