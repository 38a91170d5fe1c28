import path from 'node:path'
import { fileURLToPath } from 'node:url'

import nextEnv from '@next/env'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Loads `.env`, `.env.local`, `.env.development`… the way Next.js does, before anything reads
 * process.env: the server and the scripts decide about the database before Next.js starts.
 * Variables already set in the environment win over the files.
 */
export const loadEnvFiles = (): void => {
  const isDev = process.env.NODE_ENV !== 'production'
  nextEnv.loadEnvConfig(projectRoot, isDev, { info: () => undefined, error: console.error })
}
