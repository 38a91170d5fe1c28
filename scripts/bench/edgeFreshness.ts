import { isVarnishInstalled, startVarnish, type RunningVarnish } from '../../tests/helpers/varnish'
import {
  getFreePort,
  getRestartablePort,
  startApp,
  type RunningApp,
} from '../../tests/setup/appServer'
import { browserAcceptEncoding, requestRaw } from './httpProbe'
import { percentile, type BenchRow, type TargetCheck } from './report'

type EdgeFreshnessArgs = {
  /** The replicas' environment; each replica started here also purges the Varnish in front. */
  env: NodeJS.ProcessEnv
  /** `JWT …` of an editor or admin. */
  authorization: string
  /** The list read the edge keeps, showing every item in `itemIds`. */
  listPath: string
  itemIds: readonly number[]
  /** A cached read no rename of those items touches: it must stay an edge hit throughout. */
  unrelatedPath: string
  changeCount: number
  /** Replicas started here are added, for the bench to stop should it fail. */
  apps: RunningApp[]
}

const label = '(t) item renamed on A or B → new version of its list at the edge (Varnish)'
const goalMs = 1000
/** Far above the goal: a deadline, after which a change counts as never reaching the edge. */
const deadlineMs = 10_000

const readThroughEdge = async (url: string, ifNoneMatch?: string) => {
  const response = await requestRaw(url, {
    headers: {
      'Accept-Encoding': browserAcceptEncoding,
      ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}),
    },
  })
  return {
    etag: response.headers.etag,
    edge: String(response.headers['x-edge-cache'] ?? 'none'),
  }
}

const skipped = (reason: string) => ({
  row: { case: label, note: `skipped: ${reason}` } satisfies BenchRow,
  check: {
    target: `(t) p99 ≤ ${goalMs / 1000} s, an unrelated answer stays an edge hit`,
    measured: `skipped: ${reason}`,
    isMet: undefined,
  } satisfies TargetCheck,
})

/**
 * (t) issue #16: Varnish with the shipped VCL in front of two replicas, both purging it, as the
 * runbook deploys them. Items of one category are renamed through A and B in turn; after each,
 * the category's list is revalidated through Varnish as a browser would (If-None-Match with the
 * ETag it had) until the edge names a new ETag. Timed from the writer's answer (committed): the
 * notification, the writer's purge, and the edge's refetch from whichever replica it picks. A
 * read no rename touches is asked before and after: it must still come from the edge's memory.
 */
export const measureEdgeFreshness = async (args: EdgeFreshnessArgs) => {
  if (!isVarnishInstalled()) return skipped('varnishd not found')
  const varnishPort = await getRestartablePort()
  const replicaPorts = [await getFreePort(), await getFreePort()]
  const varnishUrl = `http://127.0.0.1:${varnishPort}`
  let varnish: RunningVarnish | undefined
  const replicas: RunningApp[] = []
  try {
    varnish = await startVarnish({ port: varnishPort, backendPort: replicaPorts })
    for (const port of replicaPorts) {
      const replica = await startApp({ env: { ...args.env, CACHE_PURGE_URLS: varnishUrl }, port })
      replicas.push(replica)
      args.apps.push(replica)
    }
    const listUrl = `${varnishUrl}${args.listPath}`
    const unrelatedUrl = `${varnishUrl}${args.unrelatedPath}`
    await readThroughEdge(unrelatedUrl)
    const unrelatedBefore = await readThroughEdge(unrelatedUrl)
    const freshnessMs: number[] = []
    let missedDeadline = 0
    for (let index = 0; index < args.changeCount; index++) {
      // Twice: the second is the edge's own copy, as the next browser would get it.
      await readThroughEdge(listUrl)
      const { etag: before } = await readThroughEdge(listUrl)
      if (!before) throw new Error(`the edge answered ${args.listPath} without an ETag`)
      const writer = replicas[index % replicas.length]
      const itemId = args.itemIds[index % args.itemIds.length]
      const patch = await requestRaw(`${writer.url}/api/items/${itemId}`, {
        method: 'PATCH',
        headers: { Authorization: args.authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `Bench item ${itemId}, edge ${index}` }),
      })
      if (patch.status !== 200) throw new Error(`renaming item ${itemId} answered ${patch.status}`)
      const started = performance.now()
      for (;;) {
        const { etag } = await readThroughEdge(listUrl, before)
        if (etag && etag !== before) {
          freshnessMs.push(performance.now() - started)
          break
        }
        if (performance.now() - started > deadlineMs) {
          missedDeadline += 1
          break
        }
      }
    }
    const unrelatedAfter = await readThroughEdge(unrelatedUrl)
    const isUnrelatedKept =
      unrelatedBefore.edge === 'HIT' &&
      unrelatedAfter.edge === 'HIT' &&
      unrelatedAfter.etag === unrelatedBefore.etag
    const sorted = [...freshnessMs].sort((a, b) => a - b)
    const p99 = missedDeadline > 0 ? Number.POSITIVE_INFINITY : percentile(sorted, 99)
    const purges = varnish.purges()
    const row: BenchRow = {
      case: label,
      p50Ms: sorted.length > 0 ? percentile(sorted, 50) : undefined,
      p99Ms: sorted.length > 0 ? percentile(sorted, 99) : undefined,
      note: [
        `${args.changeCount} renames alternating A and B, from the writer's answer`,
        missedDeadline > 0 ? `${missedDeadline} not at the edge within ${deadlineMs / 1000} s` : '',
        `${purges.length} purges received`,
        `unrelated ${args.unrelatedPath}: edge ${unrelatedBefore.edge} before, ${unrelatedAfter.edge} after${unrelatedAfter.etag === unrelatedBefore.etag ? ', same ETag' : ', new ETag'}`,
      ]
        .filter(Boolean)
        .join('; '),
    }
    const check: TargetCheck = {
      target: `(t) p99 ≤ ${goalMs / 1000} s, an unrelated answer stays an edge hit`,
      measured: `${Number.isFinite(p99) ? `${p99.toFixed(0)} ms` : 'a change never arrived'}, unrelated ${isUnrelatedKept ? 'kept' : 'not kept'}`,
      isMet: p99 <= goalMs && isUnrelatedKept,
    }
    return { row, check }
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await varnish?.stop()
  }
}
