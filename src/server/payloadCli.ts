import { fileURLToPath } from 'node:url'

// Its URL only: importing it here would register the hooks in this (parent) process as well.
const lexicalWithoutTopLevelAwait = new URL('./lexicalWithoutTopLevelAwait.mjs', import.meta.url)

const payloadBin = fileURLToPath(new URL('../../node_modules/payload/bin.js', import.meta.url))

/**
 * The Node arguments that run Payload's CLI (`migrate`, `generate:types`, …) in a child process.
 * The CLI loads the app's config in Node itself, so it gets the same resolution of Lexical that
 * keeps the config import from hanging on Node 20 (lexicalWithoutTopLevelAwait.mjs).
 */
export const payloadCliArgs = (args: readonly string[]): string[] => [
  '--import',
  lexicalWithoutTopLevelAwait.href,
  payloadBin,
  ...args,
]
