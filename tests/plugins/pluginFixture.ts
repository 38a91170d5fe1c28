import crypto from 'node:crypto'

import { postgresAdapter } from '@payloadcms/db-postgres'
import { buildConfig, getPayload, type Config, type Payload } from 'payload'
import { inject } from 'vitest'

import '../setup/providedContext'
import { dropDatabase, ensureDatabaseExists } from '../../src/database/createDatabase'
import { closePayload } from '../../src/database/closePayload'

export type PluginFixture = {
  payload: Payload
  /** Closes Payload and drops the fixture's database. */
  dispose: () => Promise<void>
}

/** A collection any plugin can hook into: a title, nothing of this app's schema. */
export const fixturePostsCollection = {
  slug: 'posts',
  fields: [{ name: 'title', type: 'text' }],
} satisfies NonNullable<Config['collections']>[number]

/** A minimal auth collection: Payload's defaults and nothing of this app's Users. */
export const fixtureUsersCollection = {
  slug: 'users',
  auth: true,
  fields: [],
} satisfies NonNullable<Config['collections']>[number]

/**
 * A Payload instance built from a config that holds one plugin and a minimal schema, on a fresh
 * database of its own next to the run's test database (the way Payload tests its own plugins, e.g.
 * `test/plugin-seo/config.ts`). The schema is pushed, not migrated: the fixture's schema is not
 * this app's, and it lives only as long as the test file.
 */
export const createPluginFixture = async ({
  name,
  config,
}: {
  /** Names the database and the Payload instance; letters, digits and `_` only. */
  name: string
  config: Omit<Config, 'db' | 'secret'>
}): Promise<PluginFixture> => {
  const databaseUrl = new URL(inject('testContext').databaseUrl)
  databaseUrl.pathname = `/plugin_${name}_${crypto.randomBytes(4).toString('hex')}`
  await ensureDatabaseExists(databaseUrl.toString())
  const built = await buildConfig({
    ...config,
    secret: crypto.randomBytes(32).toString('hex'),
    db: postgresAdapter({ pool: { connectionString: databaseUrl.toString() }, push: true }),
    telemetry: false,
    typescript: { autoGenerate: false, ...config.typescript },
  })
  const payload = await getPayload({ config: built, key: `plugin-fixture-${name}` })
  return {
    payload,
    dispose: async () => {
      await closePayload(payload)
      await dropDatabase(databaseUrl.toString())
    },
  }
}
