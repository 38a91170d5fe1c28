import type { Payload } from 'payload'

type PayloadCron = Payload['crons'][number]

/**
 * Has `payload.destroy()` await `stop` along with the instance's autoRun crons, for background
 * work that must end before the database pool does. Internal: `destroy()` calls `stop()` on each
 * entry of `payload.crons` (croner `Cron` objects) and awaits them all.
 */
export const stopOnDestroy = (payload: Payload, stop: () => Promise<void>): void => {
  payload.crons.push({ stop } as unknown as PayloadCron)
}
