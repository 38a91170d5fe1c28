/**
 * `npm run check:migrations`: applies the committed migrations to a brand-new database, then asks
 * Payload for a new migration. Anything it would create is schema drift: a config change that was
 * never captured in a migration, which production (no schema push) would never get.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

import { payloadCliArgs } from '../src/jobs/payloadCli'
import { createTestDatabase } from '../tests/setup/testDatabase'

const migrationDir = fileURLToPath(new URL('../migrations/', import.meta.url))

const database = await createTestDatabase('drift')
let exitCode = 0
try {
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    SEED_ON_EMPTY: 'false',
  }
  const run = (args: string[]) =>
    spawnSync(process.execPath, payloadCliArgs(args), { env, encoding: 'utf8', stdio: 'pipe' })

  const migrated = run(['migrate'])
  if (migrated.status !== 0) {
    console.error(
      `The committed migrations do not apply to a fresh database:\n${migrated.stdout}${migrated.stderr}`,
    )
    exitCode = 1
  } else {
    const before = new Set(fs.readdirSync(migrationDir))
    const indexFile = `${migrationDir}index.ts`
    const index = fs.readFileSync(indexFile, 'utf8')
    const created = run(['migrate:create', 'drift_check', '--skip-empty'])
    // Leave the tree as it was: the check reports drift, it does not write migrations.
    const added = fs.readdirSync(migrationDir).filter((file) => !before.has(file))
    for (const file of added) fs.rmSync(`${migrationDir}${file}`)
    fs.writeFileSync(indexFile, index)
    if (created.status !== 0 || added.length > 0) {
      console.error(
        added.length > 0
          ? `Schema drift: the config differs from the committed migrations (Payload wanted to create ${added.join(', ')}).\n` +
              'Run `npm run migrate:create -- <name>`, read the SQL, and commit the .ts and .json files.'
          : `payload migrate:create failed:\n${created.stdout}${created.stderr}`,
      )
      exitCode = 1
    } else {
      console.log('Migrations apply cleanly to a fresh database and match the config.')
    }
  }
} finally {
  await database.dispose()
}
process.exit(exitCode)
