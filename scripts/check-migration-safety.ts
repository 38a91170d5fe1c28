/**
 * `npm run check:migration-safety`: fails when a migration newer than the last release (named in
 * release.json) drops, renames, retypes or newly requires something in its `up`, unless it is
 * marked `export const isContractStep = true`. Rules and reasons: scripts/migrationSafety.ts and
 * docs/RUNBOOK.md, Migrations.
 *
 * Options (for tests and other trees): --migrations-dir <dir>, --release-file <file>.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { checkMigrationSafety, contractMarker, readLastReleasedMigration } from './migrationSafety'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({
  options: {
    'migrations-dir': { type: 'string', default: path.join(projectRoot, 'migrations') },
    'release-file': { type: 'string', default: path.join(projectRoot, 'release.json') },
  },
})
const migrationDir = values['migrations-dir']
const releaseFile = values['release-file']

const run = async (): Promise<number> => {
  const report = await checkMigrationSafety({
    migrationDir,
    lastReleasedMigration: readLastReleasedMigration(releaseFile),
  })
  const summary = `${report.checked.length} migration(s) after the last release (${report.lastReleasedMigration})`
  const contractNote =
    report.contractSteps.length > 0
      ? `; contract steps, not checked: ${report.contractSteps.join(', ')}`
      : ''
  if (report.findings.length === 0) {
    console.log(`Migration safety: ${summary} keep the running release working${contractNote}.`)
    return 0
  }
  console.error(
    [
      `Migration safety: ${summary}; ${report.findings.length} statement(s) would break the release still running during the deploy:`,
      ...report.findings.map(
        ({ migration, line, reason }) =>
          `  ${path.relative(process.cwd(), path.join(migrationDir, `${migration}.ts`))}:${line}  ${reason}`,
      ),
      '',
      'Expand now, contract later: add the new shape in this release (nullable or with a DEFAULT), move',
      'the data and the code to it, and remove the old shape in a later migration once no running',
      `release uses it — that migration exports \`const ${contractMarker} = true\`. See docs/RUNBOOK.md, Migrations.`,
    ].join('\n'),
  )
  return 1
}

run()
  .catch((error: Error) => {
    console.error(`Migration safety check failed to run: ${error.message}`)
    return 1
  })
  .then((exitCode) => process.exit(exitCode))
