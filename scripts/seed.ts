/**
 * `npm run seed`: adds the sample catalog (idempotent; existing documents are left as they are).
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is unset, and applies pending migrations
 * outside production first, exactly as the dev server does at boot.
 */
import { importPayloadApp } from '../src/jobs/importPayloadApp'
import { loadEnvFiles } from '../src/config/loadEnvFiles'
import { prepareDatabaseOrExit } from '../src/database/prepareDatabase'
import { runScript } from '../src/jobs/runScript'

const seed = async () => {
  loadEnvFiles()
  const database = await prepareDatabaseOrExit()
  let exitCode = 0
  try {
    // Imported after the database is prepared: the config reads DATABASE_URL when it loads.
    const [{ getPayload, config }, { seedCatalog }, { closePayload }] = await Promise.all([
      importPayloadApp(),
      import('../src/jobs/seed'),
      import('../src/database/closePayload'),
    ])
    const payload = await getPayload({ config })
    try {
      const summary = await seedCatalog({ payload })
      console.log(JSON.stringify({ msg: 'seed finished', ...summary }))
    } finally {
      await closePayload(payload)
    }
  } catch (error) {
    console.error(`seed failed: ${(error as Error).message}`)
    exitCode = 1
  } finally {
    await database.stop()
  }
  process.exit(exitCode)
}

runScript('Seed', seed)
