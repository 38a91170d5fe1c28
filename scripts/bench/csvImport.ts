import { readResidentMegabytes } from './measure'
import type { BenchRow } from './report'

type CsvImportArgs = {
  /** A replica with its job runner on (JOBS_AUTORUN, the default): it runs the import. */
  app: { url: string; pid: number }
  /** An editor's or admin's JWT. */
  token: string
  categoryId: number
  rows?: number
  /** Give up after this long. */
  timeoutMs?: number
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * (s) A CSV import of `rows` new items, as an editor uploads it: the upload's answer, then the
 * queued job on the replica's runner until the import is no longer pending. Measured meanwhile:
 * the replica's resident memory (peak), and one small anonymous read after another, which show
 * whether the replica still answers while it imports.
 */
export const measureCsvImport = async ({
  app,
  token,
  categoryId,
  rows = 10_000,
  timeoutMs = 15 * 60_000,
}: CsvImportArgs): Promise<BenchRow[]> => {
  const run = Date.now().toString(36)
  const lines = ['name,slug,price,category,tags_0']
  for (let index = 0; index < rows; index++) {
    lines.push(
      `Imported ${run} ${index},imported-${run}-${index},${100 + index},${categoryId},bench`,
    )
  }
  const csv = Buffer.from(`${lines.join('\n')}\n`)
  const rssAtStart = readResidentMegabytes(app.pid)
  let peakRss = rssAtStart
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, readResidentMegabytes(app.pid))
  }, 100)
  const readMs: number[] = []
  let isImporting = true
  const reader = (async () => {
    while (isImporting) {
      const started = performance.now()
      const response = await fetch(`${app.url}/api/items?limit=1&depth=0&page=${readMs.length + 1}`)
      await response.arrayBuffer()
      readMs.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  try {
    const started = performance.now()
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(csv)], { type: 'text/csv' }), 'bench.csv')
    form.append('_payload', JSON.stringify({ collectionSlug: 'items', importMode: 'create' }))
    const upload = await fetch(`${app.url}/api/imports`, {
      method: 'POST',
      headers: { Authorization: `JWT ${token}` },
      body: form,
    })
    if (upload.status !== 201) {
      throw new Error(`the import upload answered ${upload.status}: ${await upload.text()}`)
    }
    const uploadMs = performance.now() - started
    const { doc } = (await upload.json()) as { doc: { id: number } }
    type Summary = { imported?: number; issues?: number; total?: number }
    let status = 'pending'
    let summary: Summary = {}
    let progressReports = 0
    let lastImported: number | undefined
    while (status === 'pending') {
      if (performance.now() - started > timeoutMs) throw new Error('the import did not finish')
      await new Promise((resolve) => setTimeout(resolve, 250))
      const response = await fetch(`${app.url}/api/imports/${doc.id}?depth=0`, {
        headers: { Authorization: `JWT ${token}` },
      })
      const current = (await response.json()) as { status: string; summary?: Summary }
      status = current.status
      summary = current.summary ?? {}
      if (
        status === 'pending' &&
        summary.imported !== undefined &&
        summary.imported !== lastImported
      ) {
        progressReports += 1
        lastImported = summary.imported
      }
    }
    const totalMs = performance.now() - started
    return [
      {
        case: `(s) ${rows.toLocaleString('en')}-row CSV import, upload → done`,
        p50Ms: totalMs,
        note: `${status}: ${summary.imported ?? 0} imported, ${summary.issues ?? 0} issues; ${Math.round(((summary.imported ?? 0) / totalMs) * 1000)} rows/s; upload answered in ${uploadMs.toFixed(0)} ms; progress seen ${progressReports} times while pending`,
      },
      {
        case: '(s) replica memory during the import',
        note: `peak RSS ${peakRss.toFixed(0)} MB (${rssAtStart.toFixed(0)} MB before, +${(peakRss - rssAtStart).toFixed(0)} MB)`,
      },
      {
        case: '(s) GET /api/items?limit=1 during the import',
        p50Ms: median(readMs),
        p99Ms: Math.max(...readMs),
        note: `${readMs.length} sequential anonymous reads on the importing replica; p99 column: the slowest`,
      },
    ]
  } finally {
    isImporting = false
    clearInterval(sampler)
    await reader
  }
}
