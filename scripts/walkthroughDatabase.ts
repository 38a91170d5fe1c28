import crypto from 'node:crypto'

import { ensureDatabaseExists, withMaintenanceClient } from '../src/database/createDatabase'
import { createTestDatabase, type TestDatabase } from '../tests/setup/testDatabase'

export type WalkthroughDatabase = TestDatabase & {
  /** The role the copy connects as, on a server. */
  role?: string
  /** Why cleanup may miss something, when it may. */
  caveat?: string
}

/** Drops every database the role owns, then the role. */
const dropRoleAndItsDatabases = (serverUrl: string, role: string) =>
  withMaintenanceClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)',
      [role],
    )
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE ${client.escapeIdentifier(datname)} WITH (FORCE)`)
    }
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`)
  })

/**
 * The scratch database of `npm run check:extending`, and everything the copy creates beside it:
 * the integration tests and check:migrations make databases of their own, and a step stopped by a
 * signal or a timeout skips its own cleanup (vitest exits on SIGINT without its global teardown).
 *
 * On the server in DATABASE_URL the copy connects as a role made for the run (LOGIN CREATEDB), so
 * every database it creates is owned by that role, and disposing drops exactly those and the
 * role, never another run's. Where DATABASE_URL's user may not create roles, a plain scratch
 * database, and `caveat` says what a stopped step may leave. Without DATABASE_URL, a throwaway
 * embedded PostgreSQL holds everything and goes as a whole.
 */
export const createWalkthroughDatabase = async (label: string): Promise<WalkthroughDatabase> => {
  const serverUrl = process.env.DATABASE_URL?.trim()
  if (!serverUrl) return createTestDatabase(label)
  const name = `catalog_${label}_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`
  const password = crypto.randomBytes(16).toString('hex')
  try {
    await withMaintenanceClient(serverUrl, (client) =>
      client.query(
        `CREATE ROLE ${client.escapeIdentifier(name)} LOGIN CREATEDB PASSWORD ${client.escapeLiteral(password)}`,
      ),
    )
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      ...(await createTestDatabase(label)),
      caveat: `cannot create a role for the run (${reason}): a step stopped before its own cleanup may leave a catalog_* database behind`,
    }
  }
  const url = new URL(serverUrl)
  url.username = name
  url.password = password
  url.pathname = `/${name}`
  const dispose = () => dropRoleAndItsDatabases(serverUrl, name)
  try {
    await ensureDatabaseExists(url.toString())
  } catch (error) {
    await dispose()
    throw error
  }
  return { url: url.toString(), kind: 'server', role: name, dispose }
}
