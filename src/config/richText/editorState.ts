import { isPlainObject } from '../../../plugins/pluginKit'
import { allowedLinkSchemes, isSafeLinkUrl } from './linkUrl'

/**
 * How Lexical reads a node type: an element holds `children`, a text node holds `text`, and the
 * rest (line breaks, uploads, relationships, rules) hold neither.
 */
export type NodeKind = 'element' | 'text' | 'leaf'

/** Nodes nested in one another, root first: a list nested five deep is 11. */
export const maxRichTextDepth = 20

/** Lexical's text format bits, bold (1) to capitalize (1024). */
export const maxTextFormat = 2 ** 11 - 1

/** Lexical's text detail bits: directionless (1) and unmergeable (2). */
const maxTextDetail = 3

/** Indentation steps; each one is rendered as padding. */
export const maxIndent = 20

const elementFormats = new Set(['', 'left', 'start', 'center', 'right', 'end', 'justify'])
const textModes = new Set(['normal', 'token', 'segmented'])
const directions = new Set(['ltr', 'rtl'])

const isWholeNumberWithin = (value: unknown, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max

/** A client's text quoted back in a message, cut short. */
const quote = (text: string): string =>
  JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)

/** What is wrong with the properties of one node that Lexical reads, or undefined. */
const findPropertyProblem = (node: Record<string, unknown>, kind: NodeKind): string | undefined => {
  const { version, format, textFormat, detail, mode, style, textStyle, direction, indent } = node
  if (version !== undefined && !isWholeNumberWithin(version, Number.MAX_SAFE_INTEGER)) {
    return 'version must be a whole number'
  }
  if (kind === 'text') {
    if (typeof node.text !== 'string') return 'a text node needs text, a string'
    if (format !== undefined && !isWholeNumberWithin(format, maxTextFormat)) {
      return `format of a text node must be a whole number from 0 to ${maxTextFormat}`
    }
    if (detail !== undefined && !isWholeNumberWithin(detail, maxTextDetail)) {
      return `detail must be a whole number from 0 to ${maxTextDetail}`
    }
    if (mode !== undefined && !textModes.has(mode as string)) {
      return `mode must be one of: ${[...textModes].join(', ')}`
    }
  } else if (format !== undefined && !elementFormats.has(format as string)) {
    return `format must be one of: "", ${[...elementFormats].filter(Boolean).join(', ')}`
  }
  if (textFormat !== undefined && !isWholeNumberWithin(textFormat, maxTextFormat)) {
    return `textFormat must be a whole number from 0 to ${maxTextFormat}`
  }
  if (
    (style !== undefined && typeof style !== 'string') ||
    (textStyle !== undefined && typeof textStyle !== 'string')
  ) {
    return 'style must be text'
  }
  if (direction !== undefined && direction !== null && !directions.has(direction as string)) {
    return 'direction must be "ltr", "rtl" or null'
  }
  if (indent !== undefined && !isWholeNumberWithin(indent, maxIndent)) {
    return `indent must be a whole number from 0 to ${maxIndent}`
  }
  if (kind === 'element' && !Array.isArray(node.children)) return 'children must be a list of nodes'
  if (kind !== 'element' && node.children !== undefined)
    return `a ${node.type} node has no children`
  return undefined
}

/**
 * What is wrong with a node's link URL (`fields.url`: link and autolink nodes, and any other node
 * that carries one), or undefined.
 */
const findLinkUrlProblem = (node: Record<string, unknown>): string | undefined => {
  const url = isPlainObject(node.fields) ? node.fields.url : undefined
  if (url === undefined || url === null) return undefined
  if (typeof url !== 'string') return 'a link URL must be text'
  if (isSafeLinkUrl(url)) return undefined
  return `a link may only lead to ${allowedLinkSchemes.join(', ')} or relative URLs; ${quote(url)} does not`
}

/** Whether a node carries a link URL that may not be served: see {@link isSafeLinkUrl}. */
const hasUnsafeLinkUrl = (node: unknown): boolean => {
  if (!isPlainObject(node) || !isPlainObject(node.fields)) return false
  const { url } = node.fields
  return url !== undefined && url !== null && (typeof url !== 'string' || !isSafeLinkUrl(url))
}

type PendingNode = { node: unknown; where: string; depth: number }

/**
 * What makes a value something other than a Lexical editor state the editor can load, as a message
 * naming the node (`root.children[0].children[2]: …`), or undefined for a well-formed state (or no
 * value). Checks the shape Lexical and Payload's rich text hooks rely on when they walk the nodes —
 * a root of type `root`, known node types, `children` lists on elements, `text` on text nodes,
 * formats and indents in range — and that every link URL is one a reader may follow (see
 * {@link isSafeLinkUrl}); not what other parts of a node mean (an upload's id): the editor's own
 * validation checks those.
 *
 * @param nodeKinds every node type the editor knows, and its kind
 */
export const findEditorStateProblem = (
  value: unknown,
  nodeKinds: ReadonlyMap<string, NodeKind>,
): string | undefined => {
  if (value === null || value === undefined) return undefined
  if (!isPlainObject(value) || !isPlainObject(value.root)) {
    return 'Rich text must be a Lexical editor state: {"root": {"type": "root", "children": […]}}.'
  }
  if (value.root.type !== 'root') return 'root: the root node must have the type "root".'
  // Iterative, so a hostile nesting is reported rather than overflowing the stack.
  const pending: PendingNode[] = [{ node: value.root, where: 'root', depth: 1 }]
  while (pending.length > 0) {
    const { node, where, depth } = pending.pop()!
    if (depth > maxRichTextDepth) {
      return `${where}: rich text may nest at most ${maxRichTextDepth} nodes deep.`
    }
    if (!isPlainObject(node)) return `${where}: a node must be an object with a type.`
    if (typeof node.type !== 'string') return `${where}: the node has no type.`
    if (node.type === 'root' && depth > 1) return `${where}: only the root node is a root.`
    const kind = nodeKinds.get(node.type)
    if (!kind) return `${where}: ${quote(node.type)} is not a node type this editor knows.`
    const problem = findPropertyProblem(node, kind) ?? findLinkUrlProblem(node)
    if (problem) return `${where}: ${problem}.`
    if (kind !== 'element') continue
    const children = node.children as unknown[]
    for (let index = children.length - 1; index >= 0; index -= 1) {
      pending.push({
        node: children[index],
        where: `${where}.children[${index}]`,
        depth: depth + 1,
      })
    }
  }
  return undefined
}

const containsUnsafeLinkUrl = (value: Record<string, unknown>): boolean => {
  const pending: unknown[] = [value.root]
  while (pending.length > 0) {
    const node = pending.pop()
    if (!isPlainObject(node)) continue
    if (hasUnsafeLinkUrl(node)) return true
    if (Array.isArray(node.children)) pending.push(...node.children)
  }
  return false
}

/**
 * A node's children with every link of an unsafe URL replaced by what it holds: the text stays,
 * the link goes. A node that is no element keeps its place without its URL.
 */
const withoutUnsafeLinksIn = (node: unknown): unknown => {
  if (!isPlainObject(node) || !Array.isArray(node.children)) return node
  const children = node.children.flatMap((child): unknown[] => {
    if (!hasUnsafeLinkUrl(child)) return [withoutUnsafeLinksIn(child)]
    const link = child as Record<string, unknown>
    if (Array.isArray(link.children)) {
      return (withoutUnsafeLinksIn(link) as { children: unknown[] }).children
    }
    const { url: _url, ...fields } = link.fields as Record<string, unknown>
    return [{ ...link, fields }]
  })
  return { ...node, children }
}

/**
 * The editor state as it may be served: links whose URL could run script (stored before URLs
 * were checked on write, or written past the API) are unwrapped, their text kept. Refusing to serve
 * such a document instead would take it, and every list, page and catalog that includes it, out of
 * service for every reader, and keep editors from opening it to fix it. Returns the value itself
 * when it holds no such link, which is the norm.
 */
export const withoutUnsafeLinks = <TValue>(value: TValue): TValue => {
  if (!isPlainObject(value) || !isPlainObject(value.root)) return value
  if (!containsUnsafeLinkUrl(value)) return value
  return { ...value, root: withoutUnsafeLinksIn(value.root) } as TValue
}
