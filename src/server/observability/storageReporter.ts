import type { Logger } from 'pino'

import type { AppEnv } from '../../config/env'
import { getStorageUsage } from '../../storage/storageUsage'
import type { AppMetrics } from './metrics'

type StorageReporterArgs = {
  env: Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX' | 'MEDIA_DIR' | 'STORAGE_REPORT_INTERVAL_SECONDS'>
  metrics: AppMetrics
  logger: Logger
}

/**
 * Refreshes the storage gauges in the background: counting a bucket lists every object, which
 * must never happen per scrape. Returns a function that stops it.
 */
export const startStorageReporter = ({
  env,
  metrics,
  logger,
}: StorageReporterArgs): (() => void) => {
  const report = async () => {
    try {
      const usage = await getStorageUsage(env)
      metrics.mediaStorageObjects.set(usage.objects)
      metrics.mediaStorageBytes.set(usage.bytes)
      metrics.mediaStorageReportTimestamp.set(Date.now() / 1000)
    } catch (error) {
      logger.warn({
        err: error,
        msg: 'Storage usage report failed; the storage gauges keep their last values',
      })
    }
  }
  const first = setTimeout(report, 5_000)
  const timer = setInterval(report, env.STORAGE_REPORT_INTERVAL_SECONDS * 1000)
  first.unref()
  timer.unref()
  return () => {
    clearTimeout(first)
    clearInterval(timer)
  }
}
