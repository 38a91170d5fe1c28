/**
 * `npm run backup [-- --final]`: a pg_dump of DATABASE_URL (or the embedded database) into
 * BACKUP_DIR and, with R2 configured, the bucket's `backups/` folder, with a manifest beside it;
 * then retention. Prints one JSON summary line on stdout (progress goes to stderr) and exits 1 on
 * any failure. `--final` takes the decommissioning backup: never pruned, with a media inventory.
 * docs/RUNBOOK.md#backups explains the files and how to restore them.
 */
import { parseArgs } from 'node:util'

import { parseEnv } from '../src/config/env'
import { runBackup } from '../src/jobs/backup/runBackup'
import { exitWithError, loadValidatedEnv, prepareBackupJobDatabase } from '../src/jobs/backup/cli'

const { values } = (() => {
  try {
    return parseArgs({ options: { final: { type: 'boolean', default: false } } })
  } catch (error) {
    return exitWithError(`${(error as Error).message}. Usage: npm run backup [-- --final]`)
  }
})()

loadValidatedEnv()
const database = await prepareBackupJobDatabase('backup', 'Nothing was written.')
const summary = await runBackup({
  env: parseEnv(),
  isFinal: values.final,
  progress: (message) => console.error(message),
})
await database.stop()
console.log(JSON.stringify(summary))
if (summary.status === 'failed') {
  console.error(`Backup failed:\n${summary.problems.map((problem) => `  - ${problem}`).join('\n')}`)
  process.exit(1)
}
process.exit(0)
