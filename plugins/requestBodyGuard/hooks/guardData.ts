import type { FlattenedField, PayloadRequest } from 'payload'

import type { SanitizedRequestBodyGuardOptions } from '../types'
import { fieldValidationError, requestBodyError } from '../utilities/errors'
import { checkFieldValues } from '../utilities/fieldValues'
import { findMissingRelations } from '../utilities/missingRelations'
import { isPlainObject } from '../../pluginKit'
import { getNumericIdCheck } from '../utilities/values'

export const writeOperations = new Set(['create', 'update', 'updateByID'])

type Entity = { collection: string } | { global: string }

type GuardDataArgs = {
  data: unknown
  entity: Entity
  fields: FlattenedField[]
  extraKeys?: readonly string[]
  options: SanitizedRequestBodyGuardOptions
  /** Whether the operation skips access control: then server code wrote the data, not a client. */
  overrideAccess: boolean | undefined
  req: PayloadRequest
}

/** Set on `req.context` once the request's own data has been checked. */
const checkedKey = 'requestBodyGuardChecked'

/**
 * Whether this write is the one the client asked for: a REST request to Payload's own create or
 * update route of this collection or global (POST /api/<slug>, PATCH /api/<slug>[/<id>],
 * POST /api/globals/<slug>), and the first write of the request. Writes that hooks, plugins and
 * custom endpoints make with the same `req` come later or from other routes, and carry data the
 * app built itself.
 */
const isClientWrite = (req: PayloadRequest, entity: Entity): boolean => {
  if (req.payloadAPI !== 'REST' || req.context[checkedKey]) return false
  const apiRoute = req.payload.config.routes.api
  const segments = (req.pathname ?? '').slice(apiRoute.length).split('/').filter(Boolean)
  if ('global' in entity) {
    return (
      req.method === 'POST' &&
      segments.length === 2 &&
      segments[0] === 'globals' &&
      segments[1] === entity.global
    )
  }
  if (segments[0] !== entity.collection) return false
  return segments.length === 1
    ? req.method === 'POST' || req.method === 'PATCH'
    : segments.length === 2 && req.method === 'PATCH'
}

/**
 * Refuses a client's write unless its data is an object whose values fit their fields (types,
 * `min`/`max`, options) and whose relationships point at documents that exist — whichever API it
 * came through: REST, GraphQL (whose schema types the input, but not ranges or existence) or the
 * Local API with `overrideAccess: false`, so that one write is refused alike on every path. The
 * REST body the client sent is also held to the fields' names. Writes that override access (seeds,
 * jobs, hooks) carry data the app built itself and are trusted.
 */
export const guardData = async ({
  data,
  entity,
  fields,
  extraKeys,
  options,
  overrideAccess,
  req,
}: GuardDataArgs) => {
  if (data === undefined) return
  const isClientData = isClientWrite(req, entity)
  if (!isClientData && overrideAccess === true) return
  if (isClientData) req.context[checkedKey] = true
  if (!isPlainObject(data)) {
    throw requestBodyError('The request body must be a JSON object of field values.')
  }
  const { problems, references, hiddenKeys } = checkFieldValues(fields, data, {
    extraTextKeys: extraKeys,
    rejectUnknownKeys: options.rejectUnknownFields && isClientData,
    hasNumericIds: getNumericIdCheck(req.payload),
  })
  if (isClientData) {
    // Dropped here, so no client-sent value reaches them whatever each field's own access says.
    for (const key of hiddenKeys) delete data[key]
  }
  const missing =
    problems.length === 0 && options.checkRelationsExist && references.length > 0
      ? await findMissingRelations(references, req)
      : []
  const errors = [...problems, ...missing]
  if (errors.length > 0) throw fieldValidationError({ ...entity, errors, req })
}
