import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Defaults for a machine with no configuration at all: everything lives under `.data/` in the
 * project (gitignored), so `npm run dev` works on a fresh clone and production never sees them.
 * Functions, not constants: they must see variables loaded from `.env` files after import.
 */
export const getLocalDataDir = (): string => path.resolve(process.env.LOCAL_DATA_DIR || '.data')

export const getEmbeddedPostgresDefaults = () => ({
  dataDir: path.join(getLocalDataDir(), 'postgres'),
  port: Number(process.env.EMBEDDED_POSTGRES_PORT || 54329),
  user: 'postgres',
  password: 'postgres',
  database: 'catalog',
})

export const getLocalDatabaseUrl = (): string => {
  const { user, password, port, database } = getEmbeddedPostgresDefaults()
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`
}

/** A development secret generated once per checkout, so sessions survive restarts. */
export const readOrCreateLocalSecret = (): string => {
  const localDataDir = getLocalDataDir()
  const secretFile = path.join(localDataDir, 'payload-secret')
  try {
    return fs.readFileSync(secretFile, 'utf8').trim()
  } catch {
    fs.mkdirSync(localDataDir, { recursive: true })
    const secret = crypto.randomBytes(32).toString('hex')
    // `wx` fails if another process won the race; its secret is then the one to use.
    try {
      fs.writeFileSync(secretFile, `${secret}\n`, { flag: 'wx', mode: 0o600 })
      return secret
    } catch {
      return fs.readFileSync(secretFile, 'utf8').trim()
    }
  }
}
