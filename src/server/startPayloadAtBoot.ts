import type { Logger } from 'pino'

import { collectionSlugs } from '../../collections/slugs'

type StartPayloadAtBootArgs = {
  /** The server's own base URL, e.g. http://localhost:3000. */
  baseUrl: string
  logger: Pick<Logger, 'info' | 'error'>
}

/**
 * Payload starts inside Next.js on the first request that reaches it, and only then starts its
 * autoRun crons and this app's job runner (src/config/editorial/jobs.ts): a replica that no
 * request had reached ran no scheduled publish and no audit retention. One anonymous API read at
 * boot starts them now. The custom server cannot start Payload itself: Next.js compiles the config.
 */
export const startPayloadAtBoot = async ({ baseUrl, logger }: StartPayloadAtBootArgs) => {
  try {
    const response = await fetch(`${baseUrl}/api/${collectionSlugs.users}/me`)
    await response.body?.cancel()
    logger.info({ msg: `Payload started at boot (API answered ${response.status})` })
  } catch (err) {
    logger.error({ err, msg: 'Payload did not start at boot: jobs run after the first request' })
  }
}
