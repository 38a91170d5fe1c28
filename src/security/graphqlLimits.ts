import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import { GraphQLError, Kind, type ASTVisitor, type ValidationContext } from 'graphql'
import type { Config } from 'payload'

/**
 * Deep enough for every query a frontend needs (items → category → image → sizes → card → url is
 * 7), far too shallow to walk relationships back and forth through the database.
 */
export const graphQLMaxDepth = 10
/** Payload's cost model: 1 per field, 10 per relationship or upload. Its default is 1000. */
export const graphQLMaxComplexity = 500
/** Aliases multiply work without adding depth or cost per field; one query gets 15. */
export const graphQLMaxAliases = 15
export const graphQLMaxDirectives = 20
/** The most documents one list field may ask for; also the REST API's cap. */
export const maxPageSize = 100

/**
 * The limit rules throw by default, which ends the request in a 500; reported to the validation
 * context instead, they answer like any invalid query. Their messages start with a misleading
 * "Syntax Error: ", dropped here.
 */
const reportedAsValidationErrors = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
}

type VariableValues = Record<string, unknown> | null | undefined

/**
 * Payload's list queries take any `limit`, and 0 means "everything": cost analysis counts a list
 * once whatever its length, so without this one query could still read a whole table.
 */
export const pageSizeRule =
  (variableValues: VariableValues) =>
  (context: ValidationContext): ASTVisitor => ({
    Argument(node) {
      if (node.name.value !== 'limit') return
      const value =
        node.value.kind === Kind.INT
          ? Number(node.value.value)
          : node.value.kind === Kind.VARIABLE
            ? variableValues?.[node.value.name.value]
            : undefined
      if (value === undefined || value === null) return
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < 1 ||
        value > maxPageSize
      ) {
        context.reportError(
          new GraphQLError(`limit must be a whole number from 1 to ${maxPageSize}.`, {
            nodes: [node],
          }),
        )
      }
    },
  })

/**
 * GraphQL settings for the Payload config. The playground stays off in production (Payload's
 * default, kept explicit here); introspection stays on, since frontends generate their types from
 * it and the schema holds no secrets.
 */
export const graphQLLimits: NonNullable<Config['graphQL']> = {
  maxComplexity: graphQLMaxComplexity,
  disablePlaygroundInProduction: true,
  validationRules: (args) => [
    maxDepthRule({ n: graphQLMaxDepth, ...reportedAsValidationErrors }),
    maxAliasesRule({ n: graphQLMaxAliases, ...reportedAsValidationErrors }),
    maxDirectivesRule({ n: graphQLMaxDirectives, ...reportedAsValidationErrors }),
    pageSizeRule(args.variableValues),
  ],
}
