import net from 'node:net'

import { sql } from '@payloadcms/db-postgres'
import pg from 'pg'
import type { Payload, PayloadRequest } from 'payload'

import { getPostgresAdapter, getRequestExecutor } from '../../payloadInternals'
import { listenerApplicationName } from '../defaults'

/**
 * Sends a notification through PostgreSQL inside the request's transaction. NOTIFY is
 * transactional: listeners — every replica, this one included — receive it only once the change
 * has committed, and never if it rolls back. That is what makes "invalidate after commit" hold.
 */
export const notifyInTransaction = async ({
  req,
  channel,
  message,
}: {
  req: PayloadRequest
  channel: string
  message: string
}): Promise<boolean> => {
  const executor = await getRequestExecutor(req)
  // A destroyed instance has no database handle left: nobody is listening either.
  if (!executor) return false
  await executor.execute(sql`SELECT pg_notify(${channel}, ${message})`)
  return true
}

export const getConnectionString = (payload: Payload): string | undefined =>
  getPostgresAdapter(payload).poolOptions?.connectionString

/**
 * An unref'd socket: the LISTEN connection alone never keeps a process alive, so a script that
 * started Payload exits when its work is done even if nobody stopped the listener.
 */
const createUnrefSocket = () => new net.Socket().unref()

type ListenerArgs = {
  connectionString: string
  channel: string
  onMessage: (message: string) => void
  /** After a dropped connection is re-established: messages may have been missed meanwhile. */
  onReconnect: () => void
  onError: (error: unknown) => void
}

/**
 * A dedicated connection that LISTENs on the channel and reconnects with backoff when it drops.
 */
export const startListener = ({
  connectionString,
  channel,
  onMessage,
  onReconnect,
  onError,
}: ListenerArgs) => {
  let client: pg.Client | undefined
  let isStopped = false
  let retryTimer: NodeJS.Timeout | undefined
  let retryMs = 100

  const scheduleReconnect = () => {
    if (isStopped || retryTimer) return
    client?.removeAllListeners()
    client?.end().catch(() => undefined)
    client = undefined
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      connect()
        .then(() => onReconnect())
        .catch((error: unknown) => {
          onError(error)
          retryMs = Math.min(retryMs * 2, 5_000)
          scheduleReconnect()
        })
    }, retryMs)
    retryTimer.unref()
  }

  const connect = async () => {
    // Named per process, so operators (and tests) can tell the replicas' listeners apart.
    const next = new pg.Client({
      connectionString,
      application_name: `${listenerApplicationName}-${process.pid}`,
      stream: createUnrefSocket,
    })
    next.on('error', (error) => {
      onError(error)
      scheduleReconnect()
    })
    next.on('end', scheduleReconnect)
    next.on('notification', (notification) => onMessage(notification.payload ?? ''))
    await next.connect()
    await next.query(`LISTEN ${next.escapeIdentifier(channel)}`)
    client = next
    retryMs = 100
  }

  const ready = connect().catch((error: unknown) => {
    onError(error)
    scheduleReconnect()
  })

  return {
    ready,
    stop: async () => {
      isStopped = true
      if (retryTimer) clearTimeout(retryTimer)
      const current = client
      client = undefined
      current?.removeAllListeners()
      await current?.end().catch(() => undefined)
    },
  }
}

/**
 * Tells every replica listening on `channel` to drop everything it cached (the catalog rebuilds,
 * every cached read goes): a message that names no change means "anything may have changed".
 * For operators, from any process that reaches the database.
 */
export const announcePurge = async ({
  connectionString,
  channel,
}: {
  connectionString: string
  channel: string
}): Promise<void> => {
  const client = new pg.Client({ connectionString, application_name: 'payload-cache-purge' })
  await client.connect()
  try {
    await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ purge: true })])
  } finally {
    await client.end()
  }
}
