import { sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

import { getPostgresAdapter } from './adapter'
import { getCollectionTableName } from './schema'

type TextRow = { parent_id: number; text: string | null }
type RowsExecutor = { execute: (query: unknown) => Promise<{ rows: TextRow[] }> }

/**
 * The values of a `hasMany` text field of a collection, by document id, in their stored order: all
 * documents' or those of `parentIds`. Internal: the Postgres adapter's table layout for such fields,
 * one `<collection table>_texts` table with `parent_id`, `path`, `text` and `order` columns. The
 * adapter reads them once per document (about a second per thousand documents); this is one query.
 */
export const readHasManyTexts = async ({
  payload,
  collection,
  path,
  parentIds,
}: {
  payload: Payload
  /** The collection's slug. */
  collection: string
  /** The field's path in the document, dot-separated for nested fields. */
  path: string
  parentIds?: readonly number[]
}): Promise<Map<number, string[]>> => {
  const adapter = getPostgresAdapter(payload)
  const rootTableName = getCollectionTableName({ payload, slug: collection }) ?? collection
  const onlyThese = parentIds
    ? sql`AND parent_id = ANY(${`{${parentIds.join(',')}}`}::int[])`
    : sql``
  const { rows } = await (adapter.drizzle as unknown as RowsExecutor).execute(
    sql`SELECT parent_id, text FROM ${sql.identifier(`${rootTableName}_texts`)} WHERE path = ${path} ${onlyThese} ORDER BY parent_id, "order"`,
  )
  const valuesByParent = new Map<number, string[]>()
  for (const row of rows) {
    if (row.text === null) continue
    const values = valuesByParent.get(row.parent_id) ?? []
    values.push(row.text)
    valuesByParent.set(row.parent_id, values)
  }
  return valuesByParent
}
