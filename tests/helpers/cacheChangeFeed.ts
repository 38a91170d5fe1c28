import pg from 'pg'

import { defaultChannel } from '../../plugins/responseCache/defaults'

export type CacheChangeFeed = {
  /**
   * Resolves, once every announcement committed before the call has arrived here, with the number
   * of announcements heard since the feed started.
   */
  catchUp: () => Promise<number>
  stop: () => Promise<void>
}

const sentinelChannel = 'cache_change_feed_sentinel'

/**
 * The test's own LISTEN connection on the response cache's channel, counting what every replica
 * hears. PostgreSQL delivers notifications in commit order, so a sentinel NOTIFY on a channel of
 * its own, sent after a change is acknowledged, arrives after that change's announcements.
 */
export const listenToCacheChanges = async ({
  connectionString,
  channel = defaultChannel,
}: {
  connectionString: string
  channel?: string
}): Promise<CacheChangeFeed> => {
  const client = new pg.Client({ connectionString })
  await client.connect()
  let announcements = 0
  let sentinels = 0
  const waiting = new Map<string, () => void>()
  client.on('notification', ({ channel: heardOn, payload = '' }) => {
    if (heardOn === channel) announcements += 1
    else if (heardOn === sentinelChannel) waiting.get(payload)?.()
  })
  await client.query(`LISTEN ${client.escapeIdentifier(channel)}`)
  await client.query(`LISTEN ${client.escapeIdentifier(sentinelChannel)}`)
  return {
    catchUp: async () => {
      const token = String((sentinels += 1))
      const arrived = new Promise<void>((resolve) => waiting.set(token, resolve))
      await client.query('SELECT pg_notify($1, $2)', [sentinelChannel, token])
      await arrived
      waiting.delete(token)
      return announcements
    },
    stop: () => client.end(),
  }
}
