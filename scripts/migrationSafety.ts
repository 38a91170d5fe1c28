/**
 * The rules behind `npm run check:migration-safety`: which statements in a migration's `up` would
 * break the release that is still running while the migration is applied.
 *
 * A deploy migrates first and rolls the new code out after, so for a while the previous release
 * runs against the new schema. Statements that remove or reshape what it uses (drop, rename,
 * change a type, make a column required without a default) must wait for a later "contract"
 * migration, shipped once no running release needs the old shape.
 *
 * SQL is read with PostgreSQL's own parser (libpg-query), including the statements inside
 * `DO $$ … $$` blocks that Payload generates; the migration file with TypeScript's.
 */
import fs from 'node:fs'
import path from 'node:path'

import { parse, parsePlPgSQL } from 'libpg-query'
import ts from 'typescript'

/** The export that marks a migration as a deliberate contract step. */
export const contractMarker = 'isContractStep'

type SqlBlock = { text: string; line: number }

type DestructiveStatement = { reason: string; line: number }

type MigrationSource = {
  /**
   * SQL the migration runs outside `down` — in `up` and in anything `up` may call — given to
   * `sql\`…\``, `sql.raw(…)` or a query function as literal text, with the line it starts on.
   */
  checkedSql: SqlBlock[]
  /** Places that run SQL computed at run time, which cannot be checked before it runs. */
  computedSql: DestructiveStatement[]
  /** `export const isContractStep = true` is present. */
  isContractStep: boolean
  hasUp: boolean
}

type MigrationFinding = DestructiveStatement & { migration: string }

type MigrationSafetyReport = {
  lastReleasedMigration: string
  /** Migrations newer than the last release, oldest first. */
  checked: string[]
  contractSteps: string[]
  findings: MigrationFinding[]
}

const isNamed = (node: ts.Node, name: string): boolean =>
  (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) &&
  node.name !== undefined &&
  ts.isIdentifier(node.name) &&
  node.name.text === name

/** Template text with each `${…}` as a bind parameter, as drizzle's `sql` tag sends it. */
const templateText = (template: ts.TemplateLiteral): string =>
  ts.isNoSubstitutionTemplateLiteral(template)
    ? template.text
    : template.head.text +
      template.templateSpans.map((span, index) => `$${index + 1}${span.literal.text}`).join('')

const isLiteralText = (
  node: ts.Node,
): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)

const isSqlTemplate = (node: ts.Node): node is ts.TaggedTemplateExpression =>
  ts.isTaggedTemplateExpression(node) && node.tag.getText() === 'sql'

const isSqlRawCall = (node: ts.Node): node is ts.CallExpression =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  node.expression.getText() === 'sql.raw'

/**
 * `db.execute(…)`, `db.pool.query(…)`, `tx.execute(…)`, `client.query(…)`: a method that takes SQL
 * as its first argument. Without arguments it is a query builder's `.execute()`, which runs no
 * SQL text of its own.
 */
const sqlRunnerMethods = new Set(['execute', 'query'])
const isSqlRunnerCall = (node: ts.Node): node is ts.CallExpression =>
  ts.isCallExpression(node) &&
  node.arguments.length > 0 &&
  ts.isPropertyAccessExpression(node.expression) &&
  sqlRunnerMethods.has(node.expression.name.text)

const computedSqlReason = (call: ts.CallExpression) =>
  `runs computed SQL the check cannot read (${call.expression.getText()} given something other than literal SQL); write the statement out in sql\`…\` or mark the migration as a contract step`

/**
 * Reads the SQL a migration runs outside `down` and whether it is marked as a contract step. SQL
 * made at run time (`sql.raw(name)`, `sql.raw(\`…${name}\`)`, `db.execute(statement)`) is
 * reported rather than skipped: what the check cannot read, it cannot let through.
 */
export const readMigrationSource = (source: string, fileName = 'migration.ts'): MigrationSource => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const checkedSql: SqlBlock[] = []
  const computedSql: DestructiveStatement[] = []
  let hasUp = false
  let isContractStep = false
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart()).line + 1

  const collectSql = (node: ts.Node) => {
    if (isSqlTemplate(node)) {
      checkedSql.push({ text: templateText(node.template), line: lineOf(node.template) })
    } else if (isSqlRawCall(node)) {
      const [argument] = node.arguments
      if (argument && isLiteralText(argument))
        checkedSql.push({ text: argument.text, line: lineOf(argument) })
      else computedSql.push({ reason: computedSqlReason(node), line: lineOf(node) })
    } else if (isSqlRunnerCall(node)) {
      const [argument] = node.arguments
      // sql`…` and sql.raw(…) arguments are read (or reported) on their own.
      if (isLiteralText(argument)) checkedSql.push({ text: argument.text, line: lineOf(argument) })
      else if (!isSqlTemplate(argument) && !isSqlRawCall(argument))
        computedSql.push({ reason: computedSqlReason(node), line: lineOf(node) })
    }
  }

  const visit = (node: ts.Node) => {
    // `down` may drop anything: it runs only when a deploy is being undone.
    if (isNamed(node, 'down')) return
    if (isNamed(node, 'up')) hasUp = true
    if (
      ts.isVariableDeclaration(node) &&
      isNamed(node, contractMarker) &&
      node.initializer?.kind === ts.SyntaxKind.TrueKeyword
    ) {
      isContractStep = true
    }
    collectSql(node)
    ts.forEachChild(node, visit)
  }
  visit(file)
  return { checkedSql, computedSql, isContractStep, hasUp }
}

type AstNode = Record<string, unknown>

const asNode = (value: unknown): AstNode => (value ?? {}) as AstNode

/** `schema.table` or `table`, as written. */
const relationName = (relation: unknown): string => {
  const { schemaname, relname } = asNode(relation) as { schemaname?: string; relname?: string }
  return schemaname ? `${schemaname}.${relname}` : String(relname)
}

// A serial column fills itself from its sequence: as safe as a DEFAULT.
const selfFillingTypes = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8'])
const fillingConstraints = new Set(['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'])

const describeAddedColumn = (table: string, definition: AstNode): string | undefined => {
  const column = asNode(definition.ColumnDef) as {
    colname?: string
    constraints?: { Constraint: { contype: string } }[]
    typeName?: { names?: { String: { sval: string } }[] }
  }
  const constraintTypes = (column.constraints ?? []).map(({ Constraint }) => Constraint.contype)
  const typeName = column.typeName?.names?.at(-1)?.String.sval ?? ''
  const isRequired = constraintTypes.some(
    (type) => type === 'CONSTR_NOTNULL' || type === 'CONSTR_PRIMARY',
  )
  const fillsItself =
    selfFillingTypes.has(typeName) || constraintTypes.some((type) => fillingConstraints.has(type))
  return isRequired && !fillsItself
    ? `adds required column ${table}.${column.colname} without a DEFAULT (inserts by the running release fail)`
    : undefined
}

const describeAlterTableCommand = (table: string, command: AstNode): string | undefined => {
  const { subtype, name, def } = command as { subtype: string; name?: string; def?: unknown }
  switch (subtype) {
    case 'AT_DropColumn':
      return `drops column ${table}.${name}`
    case 'AT_AlterColumnType':
      return `changes the type of column ${table}.${name}`
    case 'AT_SetNotNull':
      return `makes column ${table}.${name} NOT NULL`
    case 'AT_ColumnDefault':
      return def === undefined ? `drops the default of column ${table}.${name}` : undefined
    case 'AT_AddColumn':
      return describeAddedColumn(table, asNode(def))
    default:
      return undefined
  }
}

const objectKind = (objectType: string) => objectType.replace(/^OBJECT_/, '').toLowerCase()

/** Why one parsed top-level statement is destructive, if it is (a DO block is handled apart). */
const describeStatement = (statement: AstNode): string[] => {
  const [[kind, body]] = Object.entries(statement) as [string, AstNode][]
  switch (kind) {
    case 'AlterTableStmt': {
      const table = relationName(body.relation)
      return (body.cmds as { AlterTableCmd: AstNode }[])
        .map(({ AlterTableCmd }) => describeAlterTableCommand(table, AlterTableCmd))
        .filter((reason): reason is string => reason !== undefined)
    }
    case 'DropStmt':
      // Dropping an index changes speed, not the shape the running release reads and writes.
      return body.removeType === 'OBJECT_INDEX'
        ? []
        : [`drops a ${objectKind(String(body.removeType))}`]
    case 'RenameStmt':
      return [`renames a ${objectKind(String(body.renameType))}`]
    case 'AlterEnumStmt':
      return body.oldVal ? [`renames enum value '${String(body.oldVal)}'`] : []
    case 'TruncateStmt':
      return ['truncates a table']
    default:
      return []
  }
}

const doBlockBody = (statement: AstNode): string | undefined => {
  const args = (asNode(statement.DoStmt).args ?? []) as {
    DefElem: { defname: string; arg: AstNode }
  }[]
  const body = args.find(({ DefElem }) => DefElem.defname === 'as')?.DefElem.arg
  return (asNode(body?.String) as { sval?: string }).sval
}

/** The SQL statements a PL/pgSQL block runs, and whether it also runs dynamic SQL. */
const collectPlpgsqlStatements = (
  node: unknown,
  found: { queries: string[]; hasDynamicSql: boolean },
) => {
  if (Array.isArray(node)) {
    for (const item of node) collectPlpgsqlStatements(item, found)
    return found
  }
  if (node === null || typeof node !== 'object') return found
  for (const [key, value] of Object.entries(node)) {
    if (key === 'PLpgSQL_stmt_execsql') {
      const query = asNode(asNode(asNode(value).sqlstmt).PLpgSQL_expr).query
      if (typeof query === 'string') found.queries.push(query)
    } else if (key === 'PLpgSQL_stmt_dynexecute') {
      found.hasDynamicSql = true
    }
    collectPlpgsqlStatements(value, found)
  }
  return found
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1

const parseErrorReason = (error: unknown) =>
  `contains SQL the check cannot parse (${(error as Error).message}); make it plain SQL or mark the migration as a contract step`

/** The destructive statements in one block of SQL, with the line (1-based, within the block). */
export const findDestructiveStatements = async (sql: string): Promise<DestructiveStatement[]> => {
  let parsed
  try {
    parsed = await parse(sql)
  } catch (error) {
    return [{ reason: parseErrorReason(error), line: 1 }]
  }
  const findings: DestructiveStatement[] = []
  for (const { stmt, stmt_location: location = 0 } of parsed.stmts ?? []) {
    const statement = stmt as unknown as AstNode
    const line = lineAt(sql, location) + 1
    const body = 'DoStmt' in statement ? doBlockBody(statement) : undefined
    if (body === undefined) {
      for (const reason of describeStatement(statement)) findings.push({ reason, line })
      continue
    }
    const tag = '$catalog_check$'
    const nested = collectPlpgsqlStatements(await parsePlPgSQL(`DO ${tag}${body}${tag}`), {
      queries: [],
      hasDynamicSql: false,
    })
    if (nested.hasDynamicSql)
      findings.push({ reason: 'runs dynamic SQL (EXECUTE) that the check cannot read', line })
    for (const query of nested.queries) {
      for (const { reason } of await findDestructiveStatements(query))
        findings.push({ reason, line })
    }
  }
  return findings
}

/** Migration names in a migrations folder (the `.ts` files Payload writes), oldest first. */
const listMigrations = (migrationDir: string): string[] =>
  fs
    .readdirSync(migrationDir)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort()

type CheckMigrationSafetyArgs = { migrationDir: string; lastReleasedMigration: string }

/**
 * Checks every migration newer than the last release. Names start with a timestamp
 * (`YYYYMMDD_HHMMSS_`), so "newer" is "sorts after".
 */
export const checkMigrationSafety = async ({
  migrationDir,
  lastReleasedMigration,
}: CheckMigrationSafetyArgs): Promise<MigrationSafetyReport> => {
  const all = listMigrations(migrationDir)
  if (!all.includes(lastReleasedMigration)) {
    throw new Error(
      `the last released migration "${lastReleasedMigration}" is not in ${migrationDir}; fix the name in the release file`,
    )
  }
  const checked = all.filter((name) => name > lastReleasedMigration)
  const report: MigrationSafetyReport = {
    lastReleasedMigration,
    checked,
    contractSteps: [],
    findings: [],
  }
  for (const migration of checked) {
    const fileName = path.join(migrationDir, `${migration}.ts`)
    const source = readMigrationSource(fs.readFileSync(fileName, 'utf8'), fileName)
    if (source.isContractStep) {
      report.contractSteps.push(migration)
      continue
    }
    if (!source.hasUp) {
      report.findings.push({ migration, line: 1, reason: 'has no `up` function to check' })
    }
    for (const { reason, line } of source.computedSql)
      report.findings.push({ migration, reason, line })
    for (const block of source.checkedSql) {
      for (const { reason, line } of await findDestructiveStatements(block.text))
        report.findings.push({ migration, reason, line: block.line + line - 1 })
    }
  }
  return report
}

/** The release file: `{ "lastReleasedMigration": "<name>" }`, updated when a release is cut. */
export const readLastReleasedMigration = (releaseFile: string): string => {
  const content = JSON.parse(fs.readFileSync(releaseFile, 'utf8')) as {
    lastReleasedMigration?: unknown
  }
  if (typeof content.lastReleasedMigration !== 'string' || !content.lastReleasedMigration) {
    throw new Error(
      `${releaseFile} must name the last released migration in "lastReleasedMigration"`,
    )
  }
  return content.lastReleasedMigration
}
