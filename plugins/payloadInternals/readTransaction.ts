import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

import { getPostgresAdapter } from './adapter'

type ReplicaSet = { $replicas?: unknown[] }

/**
 * Begins a transaction where a read outside one would run: on a read replica when the adapter has
 * any, else on the primary. Payload's own `beginTransaction` always opens on the primary, since it
 * expects writes, and would move every read that uses it off the replicas.
 *
 * Internal: Drizzle's replica set lists its replicas as `$replicas`, and the adapter's
 * `beginTransaction` opens on `this.drizzle`, so it is called on a copy of the adapter whose
 * `drizzle` is one of them.
 */
export const beginReadTransaction = (payload: Payload): Promise<null | number | string> => {
  const adapter = getPostgresAdapter(payload)
  const replicas = (adapter.drizzle as ReplicaSet).$replicas
  if (!replicas?.length) return adapter.beginTransaction()
  const replica = replicas[Math.floor(Math.random() * replicas.length)]
  const onReplica = Object.assign(Object.create(adapter) as PostgresAdapter, { drizzle: replica })
  return adapter.beginTransaction.call(onReplica)
}
