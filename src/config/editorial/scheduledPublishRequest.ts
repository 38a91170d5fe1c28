/** Payload's task that publishes or unpublishes a document at a time (`versions.drafts.schedulePublish`). */
export const schedulePublishTaskSlug = 'schedulePublish'

/** What an editor asks for when they create a `schedulePublish` job over the API. */
export type ScheduledPublishRequest = {
  type: 'publish' | 'unpublish'
  collection: string
  /** As Payload keeps it in the job's input: a string, whatever the collection's ID type. */
  id: string
  waitUntil: Date
}

export type ReadScheduledPublishResult =
  | { request: ScheduledPublishRequest; problems?: undefined }
  | { request?: undefined; problems: string[] }

type ReadArgs = {
  data: unknown
  /** The collections that have scheduled publishing. */
  collections: readonly string[]
  now: Date
}

/** `user` is accepted and replaced by the requester (it names who the change is made as). */
const allowedInputKeys = new Set(['type', 'doc', 'user'])

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const readId = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value)
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 100) return value.trim()
  return undefined
}

const readWaitUntil = (value: unknown, now: Date): { date?: Date; problem?: string } => {
  if (typeof value !== 'string' || value.trim() === '')
    return { problem: 'waitUntil is required: the time to publish at, e.g. 2030-01-31T09:00:00Z.' }
  const date = new Date(value)
  if (Number.isNaN(date.getTime()))
    return { problem: `waitUntil is not a date: "${value.slice(0, 40)}" (use ISO 8601).` }
  if (date.getTime() <= now.getTime())
    return { problem: `waitUntil is in the past (${date.toISOString()}): pick a later time.` }
  return { date }
}

/**
 * Reads the body of `POST /api/payload-jobs` for a scheduled publish: every problem found, in
 * words a client can act on, or the request. Only the task slug is left to access control.
 */
export const readScheduledPublishRequest = ({
  data,
  collections,
  now,
}: ReadArgs): ReadScheduledPublishResult => {
  if (!isRecord(data)) return { problems: ['The body must be a JSON object.'] }
  // Other top-level fields (queue, processing, log…) are the runner's: the job is rebuilt without
  // them. Payload has filled in their defaults by now, so they cannot tell us what was sent.
  const problems: string[] = []

  const input = isRecord(data.input) ? data.input : undefined
  if (!input) problems.push('input is required: { "type": "publish", "doc": { … } }.')
  const extraInputKeys = Object.keys(input ?? {}).filter((key) => !allowedInputKeys.has(key))
  if (extraInputKeys.length > 0)
    problems.push(`input may hold type and doc only; not: ${extraInputKeys.join(', ')}.`)

  const type = input?.type ?? 'publish'
  if (type !== 'publish' && type !== 'unpublish')
    problems.push('input.type must be "publish" or "unpublish".')

  const doc = isRecord(input?.doc) ? input.doc : undefined
  const collection = typeof doc?.relationTo === 'string' ? doc.relationTo : undefined
  const id = readId(doc?.value)
  if (input && !doc)
    problems.push('input.doc is required: { "relationTo": "items", "value": <document id> }.')
  else if (doc && (!collection || !collections.includes(collection)))
    problems.push(`input.doc.relationTo must be one of: ${collections.join(', ')}.`)
  if (doc && !id) problems.push('input.doc.value must be the id of a document.')

  const waitUntil = readWaitUntil(data.waitUntil, now)
  if (waitUntil.problem) problems.push(waitUntil.problem)

  if (problems.length > 0 || !collection || !id || !waitUntil.date) return { problems }
  return {
    request: {
      type: type as ScheduledPublishRequest['type'],
      collection,
      id,
      waitUntil: waitUntil.date,
    },
  }
}
