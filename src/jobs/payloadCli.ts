import { fileURLToPath } from 'node:url'

// Its URL only: importing it here would register the hooks in this (parent) process as well.
const lexicalWithoutTopLevelAwait = new URL(
  '../server/lexicalWithoutTopLevelAwait.mjs',
  import.meta.url,
)

const payloadBin = fileURLToPath(new URL('../../node_modules/payload/bin.js', import.meta.url))

/**
 * Node options for a child process that loads the app's config in Node itself (not through Next.js
 * or vitest): the resolution of Lexical that keeps that import from hanging on Node 20
 * (lexicalWithoutTopLevelAwait.mjs). Put them before any other `--import`.
 */
export const appConfigNodeOptions: readonly string[] = [
  '--import',
  lexicalWithoutTopLevelAwait.href,
]

/** The Node arguments that run Payload's CLI (`migrate`, `generate:types`, …) in a child process. */
export const payloadCliArgs = (args: readonly string[]): string[] => [
  ...appConfigNodeOptions,
  payloadBin,
  ...args,
]
