import { describe, expect, it } from 'vitest'

import { createWalkthroughDatabase } from '../../scripts/walkthroughDatabase'
import { ensureDatabaseExists, withMaintenanceClient } from '../../src/database/createDatabase'

const serverUrl = () => process.env.DATABASE_URL as string

const existing = (names: string[]) =>
  withMaintenanceClient(serverUrl(), async (client) => {
    const databases = await client.query<{ name: string }>(
      'SELECT datname AS name FROM pg_database WHERE datname = ANY($1)',
      [names],
    )
    const roles = await client.query<{ name: string }>(
      'SELECT rolname AS name FROM pg_roles WHERE rolname = ANY($1)',
      [names],
    )
    return [...databases.rows, ...roles.rows].map(({ name }) => name).sort()
  })

describe('the database of npm run check:extending', () => {
  it("should drop every database the run's role created, and the role, and nothing else", async () => {
    const database = await createWalkthroughDatabase('walkthrough_test')
    const role = database.role as string
    expect(new URL(database.url).username).toBe(role)

    // What the copy's integration tests do: a database of their own beside the scratch one.
    const createdByTheCopy = new URL(database.url)
    createdByTheCopy.pathname = `/${role}_int`
    await ensureDatabaseExists(createdByTheCopy.toString())
    const bystander = new URL(serverUrl())
    bystander.pathname = `/${role}_bystander`
    await ensureDatabaseExists(bystander.toString())

    const names = [role, `${role}_int`, `${role}_bystander`]
    try {
      expect(await existing(names)).toEqual([role, role, `${role}_bystander`, `${role}_int`].sort())
      await database.dispose()
      expect(await existing(names)).toEqual([`${role}_bystander`])
    } finally {
      await withMaintenanceClient(bystander.toString(), (client, name) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`),
      )
    }
  })
})
