import {
  Forbidden,
  UnauthorizedError,
  type CollectionBeforeOperationHook,
  type CollectionBeforeValidateHook,
  type CollectionConfig,
  type Endpoint,
  type PayloadHandler,
  type PayloadRequest,
} from 'payload'

import { hasCatalogEditingRole } from '../../access'
import { publicApiError, validationError } from '../../errors/publicApiError'
import { checkImportFile, toImportMimeType } from './importFile'
import {
  importExportSlugs,
  importExportTargetSlugs,
  importMatchFields,
  isTarget,
  type Settings,
} from './settings'

/**
 * The plugin's endpoints (download, previews) are not collection operations, so the collection's
 * access rules do not reach them: each is wrapped to answer 401 without a user and 403 for a role
 * that may not edit the catalog.
 */
const requireCatalogEditor =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    if (!req.user) throw new UnauthorizedError(req.t)
    if (!hasCatalogEditingRole(req.user)) throw new Forbidden(req.t)
    return handler(req)
  }

const refusal = (status: number, message: string) =>
  Response.json({ errors: [{ message }] }, { status })

/**
 * The download endpoint exports whatever collection it is told to; only the catalog's may be.
 * The body is read here and handed on, since a request's body can be read once.
 */
const checkedDownload =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    let body: { data?: { collectionSlug?: unknown; format?: unknown; where?: unknown } } | undefined
    try {
      body = await req.json?.()
    } catch {
      return refusal(
        400,
        'Send a JSON body: {"data": {"collectionSlug": "items", "format": "csv"}}.',
      )
    }
    const data = body?.data
    if (!data || !isTarget(data.collectionSlug)) {
      return refusal(
        400,
        `data.collectionSlug must be one of: ${importExportTargetSlugs.join(', ')}.`,
      )
    }
    if (data.format !== undefined && data.format !== 'csv' && data.format !== 'json') {
      return refusal(400, 'data.format must be csv or json.')
    }
    if (data.where !== undefined && (typeof data.where !== 'object' || data.where === null)) {
      return refusal(400, 'data.where must be a query object, as in a REST `where`.')
    }
    req.json = () => Promise.resolve(body)
    return handler(req)
  }

export const guardEndpoints = (endpoints: CollectionConfig['endpoints']): Endpoint[] | false =>
  endpoints === false
    ? false
    : (endpoints ?? []).map((endpoint) => ({
        ...endpoint,
        handler: requireCatalogEditor(
          endpoint.path === '/download' ? checkedDownload(endpoint.handler) : endpoint.handler,
        ),
      }))

const refuseField = (req: PayloadRequest, collection: string, path: string, message: string) =>
  validationError({ collection, errors: [{ path, message }], req })

/** Only the catalog's collections, and for imports only the unique columns to match on. */
export const getCheckTargetHook =
  (slug: string): CollectionBeforeValidateHook =>
  ({ data, operation, req }) => {
    if (operation !== 'create') return data
    if (!isTarget(data?.collectionSlug)) {
      throw refuseField(
        req,
        slug,
        'collectionSlug',
        `Choose one of: ${importExportTargetSlugs.join(', ')}.`,
      )
    }
    const isMatching = data?.importMode === 'update' || data?.importMode === 'upsert'
    const matchField = data?.matchField ?? 'id'
    if (
      slug === importExportSlugs.imports &&
      isMatching &&
      !importMatchFields.includes(matchField)
    ) {
      throw refuseField(req, slug, 'matchField', `Match on ${importMatchFields.join(' or ')}.`)
    }
    return data
  }

/**
 * Refuses a file the job could not import (size, type, syntax, rows) while the editor is still
 * waiting, with a 4xx, before anything is stored or queued.
 */
export const getCheckImportFileHook =
  (settings: Settings): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    if (operation !== 'create' || !req.file?.data) return args
    req.file.mimetype =
      toImportMimeType({ mimeType: req.file.mimetype, filename: req.file.name }) ??
      req.file.mimetype
    const checked = checkImportFile(
      { data: req.file.data, mimeType: req.file.mimetype },
      { maxBytes: settings.maxImportBytes, maxRows: settings.maxImportRows },
    )
    if (!checked.isAcceptable) {
      throw publicApiError({
        name: 'ImportFileError',
        message: checked.problem.message,
        status: checked.problem.status,
      })
    }
    return args
  }
