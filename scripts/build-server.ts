/**
 * `npm run build`, after `next build`: compiles the server entry point (src/server/main.ts and the
 * app modules it imports outside Next's own bundle) into dist/server/main.js. Production then runs
 * `node dist/server/main.js`: one process, with no TypeScript loader or esbuild service beside it.
 * `npm run dev` keeps running the sources with tsx.
 */
import path from 'node:path'

import { build } from 'esbuild'

import { projectRoot } from '../src/config/loadEnvFiles'

const entryPoint = 'src/server/main.ts'
// The same depth as src/server/: paths the server computes from its own URL (`projectRoot` in
// loadEnvFiles.ts) still lead to the project directory, where Next finds `.next`.
const outfile = 'dist/server/main.js'

/**
 * Modules the server must not bundle. The app's config is loaded by Next's bundle; loaded by the
 * server in Node itself it would also need the Lexical resolve hooks on Node 20
 * (lexicalWithoutTopLevelAwait.mjs), which `node dist/server/main.js` does not register.
 */
const forbiddenInputs = ['payload.config.ts', 'src/server/lexicalWithoutTopLevelAwait.mjs']

const buildServer = async () => {
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // package.json `engines`: development still runs on Node 20.
    target: 'node20.9',
    // Packages stay imports that Node resolves at run time, exactly as under tsx: one copy of each
    // (pg, prom-client, pino, next …), the same one Next's server bundle loads as an external.
    // What the server shares with the Payload code inside Next's bundle (the cached endpoints'
    // registry, metrics, Payload's instance cache) is kept on globalThis, so bundling our own
    // modules creates no second copy of it.
    packages: 'external',
    // Readable stack traces in production logs: names and layout as in the sources.
    minify: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  })
  const inputs = Object.keys(result.metafile.inputs)
  const forbidden = inputs.filter((input) => forbiddenInputs.includes(input))
  if (forbidden.length > 0) {
    throw new Error(
      `${entryPoint} now imports ${forbidden.join(', ')}: load the app's config through Next, not in the server`,
    )
  }
  console.log(
    `build-server: ${path.relative(process.cwd(), path.join(projectRoot, outfile))} (${inputs.length} modules)`,
  )
}

buildServer().catch((error: Error) => {
  console.error(`build-server failed: ${error.message}`)
  process.exit(1)
})
