import { runOrThrow, type RunningApp } from '../../tests/setup/appServer'
import { browserAcceptEncoding, requestRaw } from './httpProbe'
import { readResidentMegabytes } from './measure'
import { describeHits, frontendListPath, measureCachedLoad, type LoadCase } from './readCache'
import { formatBytes, toLoadRow, type BenchRow, type TargetCheck } from './report'
import { seedItems } from './seedItems'

type ScaleBenchArgs = {
  app: RunningApp
  /** The replicas' environment, for `npm run cache:purge`. */
  env: NodeJS.ProcessEnv
  databaseUrl: string
  categoryIds: readonly number[]
  mediaIds: readonly number[]
  /** Items already seeded, and the count to reach. */
  fromItems: number
  toItems: number
  metricsToken: string
  durationSeconds: number
  load: LoadCase
}

const browserHeaders = { 'Accept-Encoding': browserAcceptEncoding }

const countPath = '/api/items/count'

const readCount = async (app: RunningApp) => {
  const response = await requestRaw(`${app.url}${countPath}`)
  const { totalDocs } = JSON.parse(response.body.toString('utf8')) as { totalDocs: number }
  return { totalDocs, outcome: String(response.headers['x-cache'] ?? 'none') }
}

/**
 * Seeds in bulk SQL, which tells no replica: the replica's cached count stays as it was until the
 * purge every operator has (`npm run cache:purge`) arrives, which the count shows.
 */
const seedAndPurge = async (args: ScaleBenchArgs) => {
  const { app } = args
  await readCount(app)
  const started = performance.now()
  await seedItems({ ...args, from: args.fromItems, to: args.toItems })
  const seedSeconds = (performance.now() - started) / 1000
  const beforePurge = await readCount(app)
  runOrThrow('npm', ['run', '--silent', 'cache:purge'], args.env)
  const purgedAt = performance.now()
  for (;;) {
    const afterPurge = await readCount(app)
    if (afterPurge.outcome === 'MISS')
      return `${seedSeconds.toFixed(1)} s; /api/items/count before the purge ${beforePurge.totalDocs} (${beforePurge.outcome}), after npm run cache:purge ${afterPurge.totalDocs} (${afterPurge.outcome})`
    if (performance.now() - purgedAt > 10_000)
      throw new Error('the purge never reached the replica')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A first (filling) read: its status and time, the answer's size as JSON and as browsers get it. */
const firstRead = async (url: string) => {
  const started = performance.now()
  const identity = await requestRaw(url)
  const ms = performance.now() - started
  if (identity.status !== 200) {
    // Kept to one table cell.
    const text = identity.body.toString('utf8').slice(0, 200).replace(/[|\n]/g, ' ')
    return { isOk: false, ms, description: `answered ${identity.status} (${text})` }
  }
  const encoded = await requestRaw(url, { headers: browserHeaders })
  const encoding = encoded.headers['content-encoding'] ?? 'identity'
  return {
    isOk: true,
    ms,
    description: `${formatBytes(identity.body.length)} JSON, ${formatBytes(encoded.body.length)} ${encoding}`,
  }
}

type PathCase = {
  label: string
  path: string
  /** Served by the read cache, whose counters tell hits; otherwise by a cached endpoint. */
  isCachedRead: boolean
}

/**
 * A read path's first read, then its load as browsers ask. A path that fails its first read is
 * not loaded: the row says what it answered, and the failure is returned for the targets.
 */
const measurePath = async (args: ScaleBenchArgs, { label, path, isCachedRead }: PathCase) => {
  const { app, durationSeconds } = args
  const url = `${app.url}${path}`
  const rssBefore = readResidentMegabytes(app.pid)
  const first = await firstRead(url)
  const rss = `RSS ${rssBefore.toFixed(0)} → ${readResidentMegabytes(app.pid).toFixed(0)} MB`
  const firstNote = `first read ${first.ms.toFixed(0)} ms`
  if (!first.isOk)
    return {
      row: { case: label, note: `${first.description} to its first read; not loaded` },
      failure: `${path}: ${first.description.slice(0, 60)}…`,
    }
  const request = { headers: browserHeaders }
  if (!isCachedRead) {
    const result = await args.load(label, url, app.pid, request)
    const note = `${first.description}; ${firstNote}; ${rss}`
    return { row: toLoadRow({ label, result, durationSeconds, note }) }
  }
  const cached = await measureCachedLoad(args, { label, app, path, request })
  const note = `${first.description}; ${firstNote}; ${describeHits(cached)}`
  return { row: toLoadRow({ label, result: cached.result, durationSeconds, note }) }
}

/** The path of the first category's document, from the category index. */
const firstCategoryPath = async (app: RunningApp) => {
  const response = await fetch(`${app.url}/api/catalog/categories`)
  if (response.status !== 200) return undefined
  const { categories } = (await response.json()) as {
    categories: { itemCount: number; href: string }[]
  }
  return { path: new URL(categories[0].href, app.url).pathname, itemCount: categories[0].itemCount }
}

/**
 * (r) the read paths once the catalog has grown tenfold (100,000 items in a full run): more items
 * seeded in bulk SQL into the running database, a purge, then `/api/catalog`, the category index,
 * one category's document and the frontend's list read, each as browsers ask.
 */
export const measureAtScale = async (
  args: ScaleBenchArgs,
): Promise<{ rows: BenchRow[]; check: TargetCheck }> => {
  const seeded = await seedAndPurge(args)
  const endpointCases: PathCase[] = [
    {
      label: '(r) GET /api/catalog (full build on first read), br',
      path: '/api/catalog',
      isCachedRead: false,
    },
    {
      label: '(r) GET /api/catalog/categories, cached',
      path: '/api/catalog/categories',
      isCachedRead: true,
    },
  ]
  const measured = []
  for (const pathCase of endpointCases) measured.push(await measurePath(args, pathCase))
  // The index names each category's document: the first one's, if the index answered.
  const category = await firstCategoryPath(args.app)
  const readCases: PathCase[] = [
    ...(category
      ? [
          {
            label: `(r) GET ${category.path} (${category.itemCount} items), cached`,
            path: category.path,
            isCachedRead: true,
          },
        ]
      : []),
    {
      label: '(r) the frontend read (l), cached',
      path: frontendListPath(args.categoryIds[0]),
      isCachedRead: true,
    },
  ]
  for (const pathCase of readCases) measured.push(await measurePath(args, pathCase))
  const failures = measured.flatMap(({ failure }) => (failure ? [failure] : []))
  const seedRow: BenchRow = {
    case: `(r) seed ${(args.toItems - args.fromItems).toLocaleString('en-US')} more items, bulk SQL`,
    note: seeded,
  }
  return {
    rows: [seedRow, ...measured.map(({ row }) => row)],
    check: {
      target: `(r) every read path answers 200 at ${args.toItems.toLocaleString('en-US')} items`,
      measured: failures.length === 0 ? `all ${measured.length}` : failures.join('; '),
      isMet: failures.length === 0,
    },
  }
}
