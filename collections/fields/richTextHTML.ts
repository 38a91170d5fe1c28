import {
  createDataloaderCacheKey,
  type CollectionBeforeOperationHook,
  type CollectionSlug,
  type FieldHook,
  type PayloadRequest,
  type SelectType,
  type TextField,
} from 'payload'
import { getSelectMode } from 'payload/shared'

import { nobody } from '../../src/config/access'
import {
  findUploadReferences,
  richTextToHTML,
  type HTMLUpload,
  type UploadReference,
} from '../../src/config/richText/html'

type RichTextHTMLArgs = {
  /** The sibling richText field rendered; the HTML field is named after it, `<name>HTML`. */
  richTextField: string
}

const keyOf = ({ relationTo, id }: UploadReference) => `${relationTo}:${id}`

type ReadUploadsArgs = {
  references: UploadReference[]
  req: PayloadRequest
  overrideAccess: boolean
  draft: boolean
  currentDepth: number
}

/**
 * The documents upload nodes show, read as the reader of the document reads (same access, drafts
 * only when they asked for drafts), through the request's data loader: one query per collection
 * for the whole response, shared with Payload's own population. A document the reader may not
 * read, or that is gone, is left out.
 */
const readUploads = async ({
  references,
  req,
  overrideAccess,
  draft,
  currentDepth,
}: ReadUploadsArgs): Promise<Map<string, HTMLUpload>> => {
  const loader = req.payloadDataLoader
  const readable = references.filter(
    ({ relationTo }) => req.payload.collections[relationTo as CollectionSlug]?.config.upload,
  )
  if (!loader || readable.length === 0) return new Map()
  const docs = await Promise.all(
    readable.map((reference) =>
      loader.load(
        // Locales and the transaction as the request holds them, unset ones included, as Payload's
        // own population passes them: the key is their JSON.
        createDataloaderCacheKey({
          collectionSlug: reference.relationTo,
          docID: reference.id,
          currentDepth: currentDepth + 1,
          depth: 0,
          draft,
          fallbackLocale: req.fallbackLocale,
          locale: req.locale,
          overrideAccess,
          showHiddenFields: false,
          transactionID: req.transactionID,
        } as Parameters<typeof createDataloaderCacheKey>[0]),
      ),
    ),
  )
  return new Map(
    readable.flatMap((reference, index) => {
      const doc = docs[index] as HTMLUpload | null | undefined
      return doc ? [[keyOf(reference), doc] as const] : []
    }),
  )
}

const getRenderHTMLHook =
  (richTextField: string): FieldHook =>
  async ({ siblingData, req, overrideAccess, draft, currentDepth }) => {
    const value: unknown = siblingData?.[richTextField]
    const references = findUploadReferences(value)
    if (!references) return null
    const uploads =
      references.length === 0
        ? new Map<string, HTMLUpload>()
        : await readUploads({
            references,
            req,
            overrideAccess: overrideAccess ?? false,
            draft: draft ?? false,
            currentDepth: currentDepth ?? 0,
          })
    return richTextToHTML({ value, resolveUpload: (reference) => uploads.get(keyOf(reference)) })
  }

/**
 * The HTML is computed from the rich text: a `select` that asks for the HTML alone gets the rich
 * text read too (and returned, as Payload does for the paths of its own virtual fields).
 */
const getSelectRichTextWithHTMLHook = ({
  richTextField,
  htmlField,
}: {
  richTextField: string
  htmlField: string
}) =>
  (({ args, operation }) => {
    const select = (args as { select?: SelectType }).select
    if (operation !== 'read' || !select || getSelectMode(select) !== 'include') return args
    if (!select[htmlField] || select[richTextField]) return args
    return { ...args, select: { ...select, [richTextField]: true } }
  }) satisfies CollectionBeforeOperationHook

/**
 * A read-only HTML form of a richText field, for frontends that render HTML rather than Lexical
 * JSON: a virtual field (no column, no migration) computed after every read by Payload's Lexical
 * HTML converters, made safe for any stored state (see `richTextToHTML`), with images resolved
 * as the reader may see them. It follows `select` like any field, so a reader who leaves it out
 * does not pay for it. Add `field` after the richText field and `beforeOperation` to the
 * collection's hooks.
 */
export const richTextHTML = ({ richTextField }: RichTextHTMLArgs) => {
  const htmlField = `${richTextField}HTML`
  const field: TextField = {
    name: htmlField,
    type: 'text',
    virtual: true,
    // Computed on every read; whatever a client sends for it is dropped.
    access: { create: nobody, update: nobody },
    admin: {
      hidden: true,
      description: `The ${richTextField} as sanitised HTML, computed on read.`,
    },
    hooks: { afterRead: [getRenderHTMLHook(richTextField)] },
  }
  return {
    field,
    beforeOperation: getSelectRichTextWithHTMLHook({ richTextField, htmlField }),
  }
}
