/**
 * `npm run check:generated`: fails when payload-types.ts or the admin import map differ from what
 * the config generates, i.e. someone changed the schema or admin components without regenerating.
 */
import { spawnSync } from 'node:child_process'

import { payloadCliArgs } from '../src/jobs/payloadCli'

const generatedFiles = ['payload-types.ts', 'src/app/(payload)/admin/importMap.js']

for (const command of ['generate:types', 'generate:importmap']) {
  const result = spawnSync(process.execPath, payloadCliArgs([command]), { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const diff = spawnSync('git', ['diff', '--exit-code', '--stat', '--', ...generatedFiles], {
  encoding: 'utf8',
})
if (diff.status !== 0) {
  console.error(
    `Generated files are stale:\n${diff.stdout}\nRun \`npm run generate:types && npm run generate:importmap\` and commit the result.`,
  )
  process.exit(1)
}
console.log('Generated files are up to date.')
