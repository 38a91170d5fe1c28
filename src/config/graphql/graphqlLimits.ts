import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import { GraphQLError, Kind, type ASTVisitor, type ValidationContext } from 'graphql'
import type { Config } from 'payload'

import { queryCostRule, variablesOf } from './graphqlCost'
import { validDocumentsOnly } from './graphqlDocument'
import { oneSignInPerRequestRule } from './graphqlSignIn'

/**
 * Deep enough for every query a frontend needs (items → category → image → sizes → card → url is
 * 7), far too shallow to walk relationships back and forth through the database.
 */
export const graphQLMaxDepth = 10
/**
 * Payload's cost model — 1 per field, 10 per relationship, upload or join — with every field's cost
 * multiplied by the sizes of the lists it is in (`src/config/graphql/graphqlCost.ts`). A page of 100
 * items with ten fields and their category costs about 2,000.
 */
export const graphQLMaxComplexity = 20_000
/**
 * Documents one request may resolve, counting every list at the most it may hold: 10 categories
 * with the 100 items of their join (1,010) fit; one category's 100 items, each with its category
 * and that category's 100 items (10,201), do not.
 */
export const graphQLMaxDocuments = 2_000
/** Payload's page size of a list query (`Items`) asked without `limit`. */
export const graphQLDefaultPageSize = 10
/** Aliases multiply work without adding depth or cost per field; one query gets 15. */
export const graphQLMaxAliases = 15
export const graphQLMaxDirectives = 20
/**
 * Tokens of one document: ten times the largest frontend query, and a bound on the work validation
 * does (one of its rules compares the fields of a selection pairwise).
 */
export const graphQLMaxTokens = 5000
/** Brackets open at once: deep enough for any filter, far below what overflows the parser. */
export const graphQLMaxNesting = 64
/** The most documents one list field may ask for; also the REST API's cap. */
export const maxPageSize = 100
/**
 * The REST cap for signed-in requests: Payload's admin loads related documents 250 at a time
 * (the relationship cells of a list, relationship fields), and refusing those leaves "Untitled"
 * where a category's name belongs. A forged cookie gets no more than this either.
 */
export const signedInMaxPageSize = 250

/** Deeper pages than this are a scraper walking the table, not a reader (REST and GraphQL alike). */
export const maxPage = 1_000_000

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

/** The paging arguments Payload's list queries and joins take, and the values each may have. */
const pagingBounds: Record<string, { max: number }> = {
  limit: { max: maxPageSize },
  page: { max: maxPage },
}

/** A value of another type is left to GraphQL's own checks, whose message names the type. */
const isWithin = (value: unknown, max: number): boolean =>
  typeof value !== 'number' || (Number.isInteger(value) && value >= 1 && value <= max)

/**
 * Payload's list queries take any `limit` and `page`: `limit: 0` means "everything", so one query
 * could read a whole table, and a page below 1 reaches the database as a negative OFFSET. A
 * variable counts with the value sent or, when none is, with the default of every operation that
 * declares it (`($limit: Int = 0)`). REST has the same bounds (inputValidation/queryParams.ts).
 */
export const pagingRule =
  (variableValues: VariableValues) =>
  (context: ValidationContext): ASTVisitor => {
    const candidates = new Map<string, unknown[]>()
    return {
      Document(document) {
        for (const definition of document.definitions) {
          if (definition.kind !== Kind.OPERATION_DEFINITION) continue
          for (const [name, value] of Object.entries(variablesOf(definition, variableValues))) {
            candidates.set(name, [...(candidates.get(name) ?? []), value])
          }
        }
      },
      Argument(node) {
        const bounds = pagingBounds[node.name.value]
        if (!bounds) return
        const values =
          node.value.kind === Kind.INT
            ? [Number(node.value.value)]
            : node.value.kind === Kind.VARIABLE
              ? (candidates.get(node.value.name.value) ?? [])
              : []
        if (values.every((value) => isWithin(value, bounds.max))) return
        context.reportError(
          new GraphQLError(`${node.name.value} must be a whole number from 1 to ${bounds.max}.`, {
            nodes: [node],
          }),
        )
      },
    }
  }

/**
 * GraphQL settings for the Payload config. The playground stays off in production (Payload's
 * default, kept explicit here); introspection stays on, since frontends generate their types from
 * it and the schema holds no secrets.
 */
export const graphQLLimits: NonNullable<Config['graphQL']> = {
  // Payload always adds its own cost rule (graphql-query-complexity, run after these rules on
  // valid documents only). It adds each field's cost once, however many entries the list around it
  // holds, so it cannot see nesting multiply work, and it cannot be removed. `queryCostRule`
  // replaces it: same per-field costs, multiplied by list sizes, never lower than Payload's figure
  // (it also counts fields under @skip/@include and every type of a fragment). With the same
  // limit Payload's rule therefore never refuses what ours accepted; it stays as a backstop.
  maxComplexity: graphQLMaxComplexity,
  disablePlaygroundInProduction: true,
  validationRules: validDocumentsOnly((args) => [
    maxDepthRule({ n: graphQLMaxDepth, ...reportedAsValidationErrors }),
    maxAliasesRule({ n: graphQLMaxAliases, ...reportedAsValidationErrors }),
    maxDirectivesRule({ n: graphQLMaxDirectives, ...reportedAsValidationErrors }),
    pagingRule(args.variableValues),
    queryCostRule({
      maxComplexity: graphQLMaxComplexity,
      maxDocuments: graphQLMaxDocuments,
      maxPageSize,
      defaultPageSize: graphQLDefaultPageSize,
      variableValues: args.variableValues,
      operationName: args.operationName,
    }),
    oneSignInPerRequestRule,
  ]),
}
