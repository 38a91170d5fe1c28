import crypto from 'node:crypto'

import { databaseNameOf, dropDatabase, withMaintenanceClient } from '../../database/createDatabase'
import { BackupJobError } from './backupJobError'

/**
 * Marks databases the drill created, so it may drop one left behind by an interrupted drill but
 * never a database that someone else named in DRILL_DATABASE_URL by mistake.
 */
const scratchDatabaseComment = 'catalog-cms restore drill scratch database'

const locate = (databaseUrl: string) => {
  const url = new URL(databaseUrl)
  return {
    server: `${url.hostname}:${url.port || '5432'}`,
    name: databaseNameOf(databaseUrl),
  }
}

/** Where the drill restores: DRILL_DATABASE_URL, or a new database on the DATABASE_URL server. */
export const chooseScratchDatabaseUrl = ({
  databaseUrl,
  drillDatabaseUrl,
  now,
}: {
  databaseUrl: string
  drillDatabaseUrl?: string
  now: Date
}): string => {
  if (drillDatabaseUrl) {
    const scratch = locate(drillDatabaseUrl)
    const live = locate(databaseUrl)
    if (!scratch.name) {
      throw new BackupJobError('DRILL_DATABASE_URL must name a database, e.g. …/catalog_drill')
    }
    if (scratch.server === live.server && scratch.name === live.name) {
      throw new BackupJobError(
        'DRILL_DATABASE_URL names the live database (the one in DATABASE_URL). The drill restores into a scratch database and drops it afterwards: name another database.',
      )
    }
    return drillDatabaseUrl
  }
  const url = new URL(databaseUrl)
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14)
  url.pathname = `/catalog_drill_${stamp}_${crypto.randomBytes(3).toString('hex')}`
  return url.toString()
}

/**
 * Creates the scratch database empty, marked with `scratchDatabaseComment`. One that exists with
 * the mark is a leftover of an interrupted drill and is replaced; one without it is refused.
 */
export const createScratchDatabase = async (scratchUrl: string): Promise<void> => {
  const comment = await withMaintenanceClient(scratchUrl, async (client, name) => {
    const { rows } = await client.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    )
    return rows[0] ? rows[0].comment : undefined
  })
  if (comment !== undefined && comment !== scratchDatabaseComment) {
    throw new BackupJobError(
      `The database "${databaseNameOf(scratchUrl)}" in DRILL_DATABASE_URL already exists and was not created by a drill. The drill restores into a database it creates and drops afterwards: name one that does not exist.`,
    )
  }
  if (comment !== undefined) await dropDatabase(scratchUrl)
  await withMaintenanceClient(scratchUrl, async (client, name) => {
    const identifier = client.escapeIdentifier(name)
    await client.query(`CREATE DATABASE ${identifier}`)
    await client.query(
      `COMMENT ON DATABASE ${identifier} IS ${client.escapeLiteral(scratchDatabaseComment)}`,
    )
  })
}
