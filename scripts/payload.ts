/**
 * Runs the Payload CLI (`migrate`, `migrate:create`, `generate:types`, …) with the same database
 * defaults as `npm run dev`: the configured DATABASE_URL, or the embedded PostgreSQL. Commands
 * that change the schema run under the migration lock, so deploy steps or replicas that run
 * `npm run migrate` at the same moment apply each migration once.
 */
import { spawn } from 'node:child_process'

import {
  isSchemaChangingCommand,
  migrationLockWaitMessage,
  withMigrationLock,
} from '../src/jobs/migrationLock'
import { loadEnvFiles } from '../src/config/loadEnvFiles'
import { payloadCliArgs } from '../src/jobs/payloadCli'
import { prepareDatabaseOrExit } from '../src/database/prepareDatabase'

const args = process.argv.slice(2)

// Code generation reads the config only; it needs no database.
const needsDatabase = !args[0]?.startsWith('generate:')

const runPayloadCli = () => {
  const child = spawn(process.execPath, payloadCliArgs(args), {
    stdio: 'inherit',
    env: process.env,
  })
  return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}

loadEnvFiles()
const database = needsDatabase ? await prepareDatabaseOrExit() : undefined
const exitCode =
  database && isSchemaChangingCommand(args[0])
    ? await withMigrationLock({
        databaseUrl: database.url,
        run: runPayloadCli,
        onWait: () => console.log(migrationLockWaitMessage),
      }).catch((error: Error) => {
        console.error(`catalog-cms cannot take the migration lock: ${error.message}`)
        return 1
      })
    : await runPayloadCli()
await database?.stop()
process.exit(exitCode)
