import {
  GraphQLError,
  Kind,
  getVariableValues,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql'

/**
 * The spec's "Operation Type Existence" rule, which graphql-js 16 leaves out: Payload's schema has
 * no subscription type, and without this rule a subscription passes validation.
 */
export const operationTypeExistsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return
    context.reportError(
      new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, {
        nodes: node,
      }),
    )
  },
})

/**
 * The operation a request runs, chosen as graphql-js's `execute` chooses it and refused with its
 * messages: `operationName` must name one, and may be left out only when there is one.
 */
export const selectOperation = (
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | GraphQLError => {
  let operation: OperationDefinitionNode | undefined
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    if (operationName === null || operationName === undefined) {
      if (operation) {
        return new GraphQLError(
          'Must provide operation name if query contains multiple operations.',
        )
      }
      operation = definition
    } else if (definition.name?.value === operationName) {
      operation = definition
    }
  }
  if (operation) return operation
  return new GraphQLError(
    operationName === null || operationName === undefined
      ? 'Must provide an operation.'
      : `Unknown operation named "${operationName}".`,
  )
}

/** Answered when checking a document overflows the stack: fragments spread thousands deep. */
const tooDeepToCheck = new GraphQLError(
  'The document nests fields or fragments too deeply to be checked.',
)

type FindDocumentErrorsArgs = Pick<
  ExecutionArgs,
  'schema' | 'document' | 'operationName' | 'variableValues'
> & {
  /** Rules checked besides the spec's own, such as limits. */
  rules: readonly ValidationRule[]
}

/**
 * Everything that makes a request's document unable to run, with the messages graphql-js gives:
 * the spec's validation rules (and the given ones), then the choice of operation, then the values
 * of its variables. Empty when the document can run.
 */
export const findDocumentErrors = ({
  schema,
  document,
  operationName,
  variableValues,
  rules,
}: FindDocumentErrorsArgs): readonly GraphQLError[] => {
  try {
    const errors = validate(schema, document, [
      ...specifiedRules,
      operationTypeExistsRule,
      ...rules,
    ])
    if (errors.length > 0) return errors
    const operation = selectOperation(document, operationName)
    if (operation instanceof GraphQLError) return [operation]
    const coerced = getVariableValues(
      schema,
      operation.variableDefinitions ?? [],
      variableValues ?? {},
      { maxErrors: 50 },
    )
    return coerced.errors ?? []
  } catch (error) {
    if (error instanceof RangeError) return [tooDeepToCheck]
    if (error instanceof GraphQLError) return [error]
    throw error
  }
}

/** A document with no definitions: no rule has anything to walk in it, and none reports it. */
const emptyDocument: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] }

const reportErrors =
  (errors: readonly GraphQLError[]): ValidationRule =>
  (context) => ({
    Document() {
      for (const error of errors) context.reportError(error)
    },
  })

type ValidationRules = (args: ExecutionArgs) => ValidationRule[]

/**
 * Payload's `graphQL.validationRules`, so that only documents the spec calls valid reach the rules
 * that assume one. Payload runs the rules given here in the same pass as the spec's and as its own
 * cost rule, which recurses through fragments without checking for cycles (a stack overflow),
 * reads the root type of a subscription the schema does not have, and evaluates `@include`/`@skip`
 * arguments before anything has checked them: each of those ended the request in a 500. So the
 * document is checked here first, with the given rules; one that fails is taken out of Payload's
 * pass (its rules then walk an empty document) and its errors are reported instead, so the client
 * gets them with a 400 and nothing runs. A valid document goes on to Payload's pass unchanged.
 */
export const validDocumentsOnly =
  (rules: ValidationRules): ValidationRules =>
  (args) => {
    const errors = findDocumentErrors({ ...args, rules: rules(args) })
    if (errors.length === 0) return []
    args.document = emptyDocument
    return [reportErrors(errors)]
  }
