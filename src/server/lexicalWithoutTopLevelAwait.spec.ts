import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { appConfigNodeOptions } from '../jobs/payloadCli'

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/**
 * This process's environment without NODE_ENV (vitest sets it to `test`); typed loosely, as Next's
 * types declare NODE_ENV always present.
 */
const inheritedEnv = (): NodeJS.ProcessEnv =>
  <NodeJS.ProcessEnv>(
    Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV'))
  )

/** Where a fresh Node process resolves `lexical` and one `@lexical/*` package, with these options. */
const resolveLexicalIn = (nodeOptions: readonly string[], env: Record<string, string> = {}) =>
  execFileSync(
    process.execPath,
    [
      ...nodeOptions,
      '--input-type=module',
      '-e',
      "console.log(import.meta.resolve('lexical')); console.log(import.meta.resolve('@lexical/utils'))",
    ],
    { cwd: projectRoot, encoding: 'utf8', env: { ...inheritedEnv(), ...env } },
  )
    .trim()
    .split('\n')

describe('lexicalWithoutTopLevelAwait', () => {
  it('should leave Node on Lexical entries that choose their build with top-level await by default', () => {
    expect(resolveLexicalIn([])).toEqual([
      expect.stringMatching(/\/lexical\/dist\/Lexical\.node\.mjs$/),
      expect.stringMatching(/\/@lexical\/utils\/dist\/LexicalUtils\.node\.mjs$/),
    ])
  })

  it('should resolve them to the development build outside production', () => {
    expect(resolveLexicalIn(appConfigNodeOptions)).toEqual([
      expect.stringMatching(/\/lexical\/dist\/Lexical\.dev\.mjs$/),
      expect.stringMatching(/\/@lexical\/utils\/dist\/LexicalUtils\.dev\.mjs$/),
    ])
  })

  it('should resolve them to the production build with NODE_ENV=production', () => {
    expect(resolveLexicalIn(appConfigNodeOptions, { NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/\/lexical\/dist\/Lexical\.prod\.mjs$/),
      expect.stringMatching(/\/@lexical\/utils\/dist\/LexicalUtils\.prod\.mjs$/),
    ])
  })
})
