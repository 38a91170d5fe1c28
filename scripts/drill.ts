/**
 * `npm run drill [-- --backup <id or path>] [--sample <n>]`: the quarterly disaster-recovery
 * drill. Restores the newest backup (or the one given) into a scratch database, applies the
 * committed migrations, boots Payload on it, compares row counts with the manifest and checks a
 * random sample of media objects in storage. Prints a table, then one JSON line, on stdout;
 * progress on stderr; exits 1 on any failure. docs/RUNBOOK.md#dr-drill explains the report.
 */
import { parseArgs } from 'node:util'

import { formatDrillReport } from '../src/jobs/backup/drillReport'
import { exitWithError, loadValidatedEnv, prepareBackupJobDatabase } from '../src/jobs/backup/cli'
import { runDrill } from '../src/jobs/backup/runDrill'
import { parseEnv } from '../src/config/env'
import { runScript } from '../src/jobs/runScript'

const usage =
  'Usage: npm run drill [-- --backup <id or path>] [--sample <media documents, default 25>]'

const { values } = (() => {
  try {
    return parseArgs({
      options: { backup: { type: 'string' }, sample: { type: 'string', default: '25' } },
    })
  } catch (error) {
    return exitWithError(`${(error as Error).message}. ${usage}`)
  }
})()
const sampleSize = Number(values.sample)
if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 10_000) {
  exitWithError(`--sample must be a whole number from 1 to 10000. ${usage}`)
}

const drill = async () => {
  loadValidatedEnv()
  // On the embedded default this starts the embedded server; the scratch database is created there.
  const database = await prepareBackupJobDatabase('drill', 'Nothing was restored.')
  const report = await runDrill({
    // Parsed here, before the drill points the environment at its scratch database.
    env: parseEnv(),
    backup: values.backup,
    sampleSize,
    progress: (message) => console.error(message),
  })
  await database.stop()
  console.log(formatDrillReport(report))
  console.log(JSON.stringify(report))
  process.exit(report.status === 'succeeded' ? 0 : 1)
}

runScript('Drill', drill)
