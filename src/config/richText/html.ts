import {
  BlockquoteHTMLConverter,
  convertLexicalToHTML,
  HeadingHTMLConverter,
  HorizontalRuleHTMLConverter,
  LinebreakHTMLConverter,
  ListHTMLConverter,
  ParagraphHTMLConverter,
  TabHTMLConverter,
  TextHTMLConverter,
  type HTMLConverter,
  type HTMLConverters,
} from '@payloadcms/richtext-lexical/html'
import type { SerializedLexicalNode } from '@payloadcms/richtext-lexical/lexical'

import { isPlainObject } from '../../../plugins/pluginKit'
import { maxRichTextDepth } from './editorState'
import { isSafeLinkUrl } from './linkUrl'

/** A node as stored: whatever it holds, checked where it is read. */
type StoredNode = { type: string; [key: string]: unknown }

/** The document an upload node points at. */
export type UploadReference = { relationTo: string; id: number | string }

/** What the HTML shows of an uploaded image: the fields media documents and the catalog share. */
export type HTMLUpload = {
  url?: string | null
  alt?: string | null
  width?: number | null
  height?: number | null
  mimeType?: string | null
  sizes?: Partial<
    Record<string, { url?: string | null; width?: number | null; height?: number | null } | null>
  > | null
}

/** The image an upload node shows, as the reader may read it; nothing when they may not. */
export type ResolveUpload = (reference: UploadReference) => HTMLUpload | null | undefined

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text as it may stand in an element or a quoted attribute. */
export const escapeHTML = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => htmlEntities[character])

/** Node types whose converters walk their children: without a list of them there is no HTML. */
const elementTypes = new Set([
  'root',
  'paragraph',
  'heading',
  'quote',
  'list',
  'listitem',
  'link',
  'autolink',
])

const uploadReferenceOf = (node: Record<string, unknown>): UploadReference | undefined => {
  const id = isPlainObject(node.value) ? node.value.id : node.value
  if (typeof node.relationTo !== 'string') return undefined
  if (typeof id !== 'number' && typeof id !== 'string') return undefined
  return { relationTo: node.relationTo, id }
}

/**
 * The upload nodes of an editor state in document order, or undefined when the state is not one
 * the converters can walk: no root, a node without a type, `children` that are not a list (or
 * missing on a paragraph, heading, quote, list or link), a text node without text, or nesting
 * deeper than writes allow (a state stored before writes were checked). Iterative, so a hostile
 * nesting cannot overflow the stack.
 */
export const findUploadReferences = (value: unknown): UploadReference[] | undefined => {
  if (!isPlainObject(value) || !isPlainObject(value.root)) return undefined
  const references: UploadReference[] = []
  const pending: { node: unknown; depth: number }[] = [{ node: value.root, depth: 1 }]
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!
    if (depth > maxRichTextDepth || !isPlainObject(node) || typeof node.type !== 'string') {
      return undefined
    }
    if (node.type === 'text' && typeof node.text !== 'string') return undefined
    if (node.type === 'upload') {
      const reference = uploadReferenceOf(node)
      if (reference) references.push(reference)
    }
    if (node.children === undefined && !elementTypes.has(node.type)) continue
    if (!Array.isArray(node.children)) return undefined
    // Reversed onto the stack, so that uploads come out in document order.
    for (let index = node.children.length - 1; index >= 0; index -= 1) {
      pending.push({ node: node.children[index], depth: depth + 1 })
    }
  }
  return references
}

const childrenOf = (node: StoredNode): SerializedLexicalNode[] =>
  Array.isArray(node.children) ? (node.children as SerializedLexicalNode[]) : []

/**
 * Links to a URL a reader may follow (see {@link isSafeLinkUrl}); anything else, and links to
 * documents inside the CMS (`linkType: 'internal'`, whose page only the frontend knows), keep
 * their text without the link.
 */
const linkConverter: HTMLConverter<StoredNode> = ({ node, nodesToHTML, providedStyleTag }) => {
  const children = nodesToHTML({ nodes: childrenOf(node) }).join('')
  const fields = isPlainObject(node.fields) ? node.fields : {}
  const url = fields.linkType === 'internal' ? undefined : fields.url
  if (typeof url !== 'string' || url.trim() === '' || !isSafeLinkUrl(url)) return children
  const newTab = fields.newTab === true ? ' target="_blank" rel="noopener noreferrer"' : ''
  return `<a${providedStyleTag} href="${escapeHTML(url)}"${newTab}>${children}</a>`
}

/**
 * Payload's list item, without what makes it unfit for a cached document: a random id on every
 * check-list item (a new ETag per build), and line breaks inside the tag.
 */
const listItemConverter: HTMLConverter<StoredNode> = ({
  node,
  nodesToHTML,
  parent,
  providedCSSString,
}) => {
  const nodes = childrenOf(node)
  const children = nodesToHTML({ nodes }).join('')
  const hasSubList = nodes.some((child) => child?.type === 'list')
  const style = `${hasSubList ? 'list-style-type: none;' : ''}${providedCSSString}`
  const styleAttribute = style ? ` style="${style}"` : ''
  const value =
    typeof node.value === 'number' && Number.isInteger(node.value) ? ` value="${node.value}"` : ''
  if ((parent as { listType?: unknown }).listType === 'check') {
    const isChecked = node.checked === true
    const classes = `list-item-checkbox list-item-checkbox-${isChecked ? 'checked' : 'unchecked'}${hasSubList ? ' nestedListItem' : ''}`
    return `<li role="checkbox" aria-checked="${isChecked}" class="${classes}"${styleAttribute}${value}>${children}</li>`
  }
  const classAttribute = hasSubList ? ' class="nestedListItem"' : ''
  return `<li${classAttribute}${styleAttribute}${value}>${children}</li>`
}

const isSafeFileUrl = (url: unknown): url is string =>
  typeof url === 'string' && url !== '' && isSafeLinkUrl(url)

const dimension = (name: string, value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? ` ${name}="${value}"` : ''

/** The original and every size with a URL and a width, narrowest first. */
const srcsetOf = (upload: HTMLUpload): string => {
  const candidates = [upload, ...Object.values(upload.sizes ?? {})].flatMap((size) =>
    size && isSafeFileUrl(size.url) && typeof size.width === 'number' && size.width > 0
      ? [{ url: size.url, width: size.width }]
      : [],
  )
  if (candidates.length < 2) return ''
  const entries = candidates
    .sort((a, b) => a.width - b.width)
    .map((candidate) => `${escapeHTML(candidate.url)} ${candidate.width}w`)
  return ` srcset="${entries.join(', ')}"`
}

/** An image (or a link to another kind of file) from the document the reader may read. */
const getUploadConverter =
  (resolveUpload: ResolveUpload): HTMLConverter<StoredNode> =>
  ({ node, providedStyleTag }) => {
    const reference = uploadReferenceOf(node)
    const upload = reference ? resolveUpload(reference) : undefined
    if (!upload || !isSafeFileUrl(upload.url)) return ''
    const fields = isPlainObject(node.fields) ? node.fields : {}
    const alt = escapeHTML(
      typeof fields.alt === 'string' && fields.alt ? fields.alt : (upload.alt ?? ''),
    )
    const src = escapeHTML(upload.url)
    if (typeof upload.mimeType === 'string' && !upload.mimeType.startsWith('image/')) {
      return `<a${providedStyleTag} href="${src}">${alt || src}</a>`
    }
    return `<img${providedStyleTag} src="${src}" alt="${alt}"${dimension('width', upload.width)}${dimension('height', upload.height)}${srcsetOf(upload)} />`
  }

/**
 * What a node no converter knows becomes: the HTML of its children (the text of a table, say),
 * or nothing (a relationship, a block). Never the node's own content.
 */
const unknownConverter: HTMLConverter<StoredNode> = ({ node, nodesToHTML }) =>
  nodesToHTML({ nodes: childrenOf(node) }).join('')

/**
 * Payload's converters where their output is inert whatever the stored state holds (text and
 * attributes escaped, tags and styles from fixed lists), ours where it could not be: links,
 * list items, uploads, and unknown nodes.
 */
const getConverters = (resolveUpload: ResolveUpload): HTMLConverters =>
  ({
    ...ParagraphHTMLConverter,
    ...TextHTMLConverter,
    ...LinebreakHTMLConverter,
    ...TabHTMLConverter,
    ...HeadingHTMLConverter,
    ...BlockquoteHTMLConverter,
    ...HorizontalRuleHTMLConverter,
    list: ListHTMLConverter.list,
    listitem: listItemConverter,
    link: linkConverter,
    autolink: linkConverter,
    upload: getUploadConverter(resolveUpload),
    unknown: unknownConverter,
  }) as HTMLConverters

/**
 * For the usual state, with no upload to resolve: built once, because a converter set built per
 * call made each conversion several times slower (Payload looks every node's converter up in it).
 */
const convertersWithoutUploads = getConverters(() => undefined)

/**
 * A rich text value as HTML a frontend can insert as it is: no container element, `''` for an
 * empty state, null for no value or one the converters cannot walk. Text and attributes are
 * escaped; links lead only to http, https, mailto, tel or relative URLs; images come from
 * `resolveUpload` (so from what the reader may read), and nodes without a converter render only
 * their children. The same state and uploads always give the same string.
 */
export const richTextToHTML = ({
  value,
  resolveUpload,
}: {
  value: unknown
  resolveUpload?: ResolveUpload
}): string | null => {
  const uploads = findUploadReferences(value)
  if (!uploads) return null
  return convertLexicalToHTML({
    data: value as Parameters<typeof convertLexicalToHTML>[0]['data'],
    converters:
      uploads.length > 0 && resolveUpload ? getConverters(resolveUpload) : convertersWithoutUploads,
    disableContainer: true,
  })
}
