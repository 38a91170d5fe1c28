/**
 * `npm run cache:purge`: every replica drops what its response cache holds — cached API reads and
 * the catalog document — within milliseconds, through the same PostgreSQL notification a change
 * sends. Nothing else changes; the next reads refill from the database. With a CDN or Varnish in
 * front (CLOUDFLARE_*, CACHE_PURGE_URLS), their copies of the API's answers go too, once, from
 * here: by the keys every cached answer carries (`c:<collection>`, `g:<global>`), never a
 * purge of everything.
 */
import { createCdnPurger, hasPurgeTargets } from '../plugins/cdnPurge'
import { announcePurge, everythingPurgeKeysOf } from '../plugins/responseCache'
import { cachedSources, catalogCacheChannel } from '../src/catalog/catalogCacheOptions'
import { getPurgeTargets } from '../src/config/cdnPurgeOptions'
import { getEnv } from '../src/config/env'
import { getAppLogger } from '../src/server/observability/logger'

const env = getEnv()
await announcePurge({ connectionString: env.DATABASE_URL, channel: catalogCacheChannel })
process.stdout.write('Purge announced: every replica drops its cached answers.\n')

const targets = getPurgeTargets(env)
if (hasPurgeTargets(targets)) {
  const keys = everythingPurgeKeysOf(cachedSources)
  let failures = 0
  const purger = createCdnPurger({
    targets,
    logger: getAppLogger(env),
    // An operator waits for the answer: a few quick attempts, no rounds of later retries.
    retry: { attempts: 3, fallbackRounds: 0 },
    onEvent: (event) => {
      if (event.type === 'failure') failures += 1
    },
  })
  purger.purge({ keys, coarseKeys: keys })
  await purger.stop({ timeoutMs: 60_000 })
  process.stdout.write(
    failures === 0
      ? `The CDN and caches in front purged: ${keys.join(' ')}\n`
      : 'Purging the CDN or caches in front failed (see the log above).\n',
  )
  if (failures > 0) process.exitCode = 1
}
