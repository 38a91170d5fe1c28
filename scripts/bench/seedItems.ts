import { withDatabaseClient } from '../../src/database/createDatabase'

type SeedItemsArgs = {
  databaseUrl: string
  categoryIds: readonly number[]
  mediaIds: readonly number[]
  /** Items numbered `from` (included) to `to` (excluded) are added: a later round continues. */
  from: number
  to: number
}

/**
 * Published items, spread over the categories, each with two images and two tags, in one
 * set-based SQL statement per table: tens of thousands of Local API creates (each with its version
 * row and hooks) would take most of the run. Reads only use these main tables. Nothing is
 * announced to running replicas: a round added while they run needs a cache purge.
 */
export const seedItems = ({ databaseUrl, categoryIds, mediaIds, from, to }: SeedItemsArgs) =>
  withDatabaseClient(databaseUrl, async (sql) => {
    await sql.query(
      `INSERT INTO items (name, slug, price, category_id, is_available, sort_order, _status)
       SELECT 'Bench item ' || n, 'bench-item-' || n, 100 + n % 5000, ($1::int[])[1 + n % cardinality($1::int[])], true, n, 'published'
         FROM generate_series($2::int, $3::int - 1) AS n`,
      [categoryIds, from, to],
    )
    // Bench items carry their number as sort_order: that picks this round's rows.
    await sql.query(
      `INSERT INTO items_rels ("order", parent_id, path, media_id)
       SELECT position, items.id, 'images', ($1::int[])[1 + (items.sort_order::int + position) % cardinality($1::int[])]
         FROM items CROSS JOIN generate_series(1, 2) AS position
        WHERE items.sort_order >= $2 AND items.sort_order < $3`,
      [mediaIds, from, to],
    )
    await sql.query(
      `WITH round AS (SELECT id, sort_order FROM items WHERE sort_order >= $1 AND sort_order < $2)
       INSERT INTO items_texts ("order", parent_id, path, text)
       SELECT 1, id, 'tags', 'bench' FROM round UNION ALL SELECT 2, id, 'tags', 'group-' || (sort_order::int % 20) FROM round`,
      [from, to],
    )
    // What autovacuum would do within a minute of an import this size: plans from current counts.
    await sql.query('ANALYZE items, items_rels, items_texts')
  })
