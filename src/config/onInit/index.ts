import type { Payload } from 'payload'

import { migrations } from '../../../migrations'
import { applyMigrations } from '../../../plugins/payloadInternals'
import type { AppEnv } from '../env'
import { migrationLockWaitMessage, withMigrationLock } from '../../jobs/migrationLock'
import { watchDatabaseOutages } from '../../database/outageMonitor'
import { isCatalogEmpty, seedCatalog } from '../../jobs/seed'
import { ensureAdminUser, type AdminCredentials } from './ensureAdminUser'

const getAdminCredentials = (env: AppEnv): AdminCredentials | undefined => {
  if (env.ADMIN_PASSWORD_HASH) return { passwordHash: env.ADMIN_PASSWORD_HASH }
  if (env.ADMIN_PASSWORD) return { password: env.ADMIN_PASSWORD }
  return undefined
}

/**
 * Boot tasks, run once per process after Payload connects.
 *
 * Outside production the committed migrations are applied here, so the everyday development
 * database runs on exactly the schema production gets. Production applies them as an explicit
 * deploy step (`npm run migrate`) and never pushes schema.
 */
export const getOnInit =
  (env: AppEnv) =>
  async (payload: Payload): Promise<void> => {
    // First: an outage during the boot tasks is reported like any other.
    watchDatabaseOutages(payload)

    if (!env.isProduction) {
      // Under the migration lock: several dev servers or test workers may boot on one database.
      await withMigrationLock({
        databaseUrl: env.DATABASE_URL,
        onWait: () => payload.logger.info({ msg: migrationLockWaitMessage }),
        run: () => applyMigrations({ payload, migrations }),
      })
    }

    const adminCredentials = getAdminCredentials(env)
    if (env.ADMIN_EMAIL && adminCredentials) {
      if (env.isProduction && 'password' in adminCredentials) {
        payload.logger.warn({
          msg: 'ADMIN_PASSWORD holds a plain password. Set ADMIN_PASSWORD_HASH instead (`npm run hash-password`), so the password itself is kept nowhere.',
        })
      }
      const result = await ensureAdminUser({
        payload,
        email: env.ADMIN_EMAIL,
        credentials: adminCredentials,
      })
      payload.logger.info({ msg: `Admin account from ADMIN_EMAIL: ${result}` })
    }

    if (env.isSeedOnEmpty && (await isCatalogEmpty(payload))) {
      const summary = await seedCatalog({ payload })
      payload.logger.info({ msg: `Seeded the sample catalog (${summary.created} documents)` })
    }
  }
