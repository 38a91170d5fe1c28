/**
 * `npm run check:generated`: fails when payload-types.ts or the admin import map differ from what
 * the config generates, i.e. someone changed the schema or admin components without regenerating.
 *
 * It compares the files as they are on disk before and after generating them, not with git's
 * index: right after `npm run generate:types` the files are current although not yet committed,
 * and the message must then say "commit", not "regenerate".
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

import { payloadCliArgs } from '../src/jobs/payloadCli'

const generatedFiles = ['payload-types.ts', 'src/app/(payload)/admin/importMap.js']

const readAll = () => generatedFiles.map((file) => fs.readFileSync(file, 'utf8'))

const before = readAll()
for (const command of ['generate:types', 'generate:importmap']) {
  const result = spawnSync(process.execPath, payloadCliArgs([command]), { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
const after = readAll()

const stale = generatedFiles.filter((_, index) => before[index] !== after[index])
if (stale.length > 0) {
  console.error(
    `Generated files were stale: ${stale.join(', ')}.\nThey have now been regenerated: review and commit them.`,
  )
  process.exit(1)
}

const uncommitted = spawnSync('git', ['status', '--porcelain', '--', ...generatedFiles], {
  encoding: 'utf8',
})
if (uncommitted.stdout?.trim())
  console.log(
    `Generated files are current but not committed yet: commit ${generatedFiles.join(', ')}.`,
  )
console.log('Generated files are up to date.')
