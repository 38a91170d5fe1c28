import type { SanitizedConfig } from 'payload'

/** The global Payload adds once any job task has a schedule (here: the audit log's retention). */
export const jobStatsGlobalSlug = 'payload-jobs-stats'

const nobody = () => false

/**
 * Payload adds its scheduling statistics global with default access: any signed-in user could read
 * and overwrite it over REST and GraphQL, and an overwritten `lastScheduledRun` can hold scheduled
 * jobs back. Payload's scheduler reads and writes it through the database adapter, past access
 * control, so closing it to every API caller leaves scheduling as it is. The global only exists
 * after sanitisation, hence a step on the built config rather than an option.
 */
export const closeJobStatsGlobal = (config: SanitizedConfig): SanitizedConfig => ({
  ...config,
  globals: config.globals.map((global) =>
    global.slug === jobStatsGlobalSlug
      ? {
          ...global,
          access: {
            ...global.access,
            read: nobody,
            readDrafts: nobody,
            readVersions: nobody,
            update: nobody,
          },
        }
      : global,
  ),
})
