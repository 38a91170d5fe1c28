import { GraphQLError, type ASTVisitor, type GraphQLSchema, type ValidationContext } from 'graphql'

/**
 * The mutations Payload gives every auth collection that check a credential or a one-time token:
 * `loginUser`, `forgotPasswordUser`, `resetPasswordUser`, `unlockUser` (while the lockout is on),
 * `verifyEmailUser`.
 */
const signInPrefixes = ['login', 'forgotPassword', 'resetPassword', 'unlock', 'verifyEmail']

/** Payload names an auth collection's mutations `<operation><SingularName>`; refreshToken is one. */
const authCollectionMarker = 'refreshToken'

/** The sign-in mutation names of a schema, derived from the auth collections it has. */
export const findSignInMutations = (schema: GraphQLSchema): ReadonlySet<string> => {
  const names = Object.keys(schema.getMutationType()?.getFields() ?? {})
  const singularNames = names
    .filter((name) => name.startsWith(authCollectionMarker))
    .map((name) => name.slice(authCollectionMarker.length))
  const candidates = singularNames.flatMap((singular) =>
    signInPrefixes.map((prefix) => `${prefix}${singular}`),
  )
  return new Set(candidates.filter((name) => names.includes(name)))
}

const signInMutationsBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>()

const signInMutationsOf = (schema: GraphQLSchema): ReadonlySet<string> => {
  let names = signInMutationsBySchema.get(schema)
  if (!names) {
    names = findSignInMutations(schema)
    signInMutationsBySchema.set(schema, names)
  }
  return names
}

export const oneSignInPerRequestMessage = (count: number) =>
  `A request may hold one sign-in operation (login, forgot or reset password, unlock, verify email); this one holds ${count}. Send each in a request of its own.`

/**
 * At most one sign-in mutation per request. Aliases let one request run `loginUser` many times,
 * each a password check, and the rate limits and the audit log are built around a request being
 * one attempt. Every occurrence in the document counts, in any operation or fragment, so the count
 * is never lower than what could run; a document over it is refused as a whole (400) before
 * anything runs.
 */
export const oneSignInPerRequestRule = (context: ValidationContext): ASTVisitor => {
  const schema = context.getSchema()
  const mutationType = schema.getMutationType()
  const signInMutations = signInMutationsOf(schema)
  let count = 0
  return {
    Field(node) {
      if (!mutationType || context.getParentType() !== mutationType) return
      if (signInMutations.has(node.name.value)) count += 1
    },
    Document: {
      leave() {
        if (count > 1) context.reportError(new GraphQLError(oneSignInPerRequestMessage(count)))
      },
    },
  }
}
