import { z } from 'zod'

import { BackupJobError } from './backupJobError'

/**
 * What a backup holds, written beside the dump as `<id>.manifest.json`. The drill trusts nothing
 * else: the checksum proves the dump is the one that was written, the row counts and migrations
 * say what a restore must produce. Never holds a host, user or password.
 */
export const backupManifestSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  createdAt: z.iso.datetime(),
  isFinal: z.boolean(),
  durationSeconds: z.number(),
  database: z.object({
    name: z.string(),
    serverVersion: z.string(),
  }),
  dump: z.object({
    file: z.string(),
    format: z.literal('custom'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    pgDumpVersion: z.string(),
    pgDumpMajor: z.number().int(),
  }),
  /** Rows per table (`schema.table`), counted in the snapshot pg_dump exported. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  migrations: z.object({
    applied: z.array(z.string()),
    latest: z.string().nullable(),
  }),
  /** Objects and bytes in media storage when the backup was taken; absent if it could not be read. */
  media: z
    .object({
      backend: z.enum(['r2', 'local']),
      objects: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
    })
    .optional(),
  /** Final backups only: every media object, for archiving the bucket. */
  mediaInventory: z
    .object({
      file: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      objects: z.number().int().nonnegative(),
    })
    .optional(),
})

export type BackupManifest = z.infer<typeof backupManifestSchema>

/** Reads a manifest; a damaged or foreign file is an `BackupJobError` naming it. */
export const parseBackupManifest = (text: string, source: string): BackupManifest => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new BackupJobError(`The backup manifest ${source} is not valid JSON: it is damaged.`)
  }
  const result = backupManifestSchema.safeParse(json)
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(root)')
    throw new BackupJobError(
      `The backup manifest ${source} is not a catalog-cms backup manifest (bad fields: ${[...new Set(fields)].join(', ')}).`,
    )
  }
  return result.data
}

export type RowCountDifference = { table: string; expected: number; actual: number | undefined }

/** Tables whose row counts differ from the manifest's; a table missing after restore counts too. */
export const compareRowCounts = ({
  expected,
  actual,
}: {
  expected: Record<string, number>
  actual: Record<string, number>
}): RowCountDifference[] =>
  Object.entries(expected)
    .filter(([table, rows]) => actual[table] !== rows)
    .map(([table, rows]) => ({ table, expected: rows, actual: actual[table] }))
