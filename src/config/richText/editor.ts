import {
  getEnabledNodes,
  lexicalEditor,
  type LexicalEditorProps,
  type LexicalRichTextAdapter,
  type SanitizedServerEditorConfig,
} from '@payloadcms/richtext-lexical'
import {
  ElementNode,
  LineBreakNode,
  ParagraphNode,
  RootNode,
  TabNode,
  TextNode,
} from '@payloadcms/richtext-lexical/lexical'
import type { Validate } from 'payload'

import { isPlainObject } from '../../../plugins/pluginKit'
import { validationError } from '../errors/publicApiError'
import { findEditorStateProblem, withoutUnsafeLinks, type NodeKind } from './editorState'

type NodeClass = { getType: () => string; prototype: unknown }

/** The nodes every Lexical editor registers, whatever its features. */
const coreNodes: NodeClass[] = [RootNode, ParagraphNode, TextNode, LineBreakNode, TabNode]

const isNodeClass = (node: unknown): node is NodeClass =>
  typeof node === 'function' && typeof (node as Partial<NodeClass>).getType === 'function'

const kindOf = (node: NodeClass): NodeKind =>
  node === ElementNode || node.prototype instanceof ElementNode
    ? 'element'
    : node === TextNode || node.prototype instanceof TextNode
      ? 'text'
      : 'leaf'

/** Every node type an editor can load, from its features' nodes and Lexical's own. */
const getNodeKinds = (editorConfig: SanitizedServerEditorConfig): Map<string, NodeKind> => {
  // A node replacement is an object naming the class it replaces and, usually, its own class.
  const featureNodes = (getEnabledNodes({ editorConfig }) as unknown[]).flatMap((node) =>
    isNodeClass(node) ? [node] : isPlainObject(node) ? [node.replace, node.withKlass] : [],
  )
  return new Map(
    [...coreNodes, ...featureNodes.filter(isNodeClass)].map((node) => [
      node.getType(),
      kindOf(node),
    ]),
  )
}

type RichTextHooks = NonNullable<LexicalRichTextAdapter['hooks']>
type BeforeValidateHook = NonNullable<RichTextHooks['beforeValidate']>[number]
type AfterReadHook = NonNullable<RichTextHooks['afterRead']>[number]

/**
 * Serves no link that could run script, whatever is stored: writes refuse such URLs, but a state
 * stored before they did is read through here by REST, GraphQL, the admin and the Local API.
 */
const unwrapUnsafeLinksHook: AfterReadHook = ({ value }) => withoutUnsafeLinks(value)

/**
 * Refuses a malformed editor state before anything walks its nodes: Lexical's own first hook reads
 * every node's `id` and children, so `children: "x"` or `[1]` there was a TypeError, a 500. Thrown
 * as the ValidationError of the field, at its path, so REST and GraphQL answer 400 naming it.
 */
const getRefuseMalformedHook =
  (findProblem: (value: unknown) => string | undefined): BeforeValidateHook =>
  ({ value, path, collection, global, req }) => {
    const problem = findProblem(value)
    if (!problem) return value
    const errors = [{ path: path.join('.'), message: problem }]
    throw validationError(
      global ? { global: global.slug, errors, req } : { collection: collection?.slug, errors, req },
    )
  }

/**
 * The Lexical editor of every rich text field, `lexicalEditor` with one guard added: an editor
 * state must have the shape Lexical loads and its links safe URLs (see
 * {@link findEditorStateProblem}) whoever writes it — REST, GraphQL, the admin or the Local API —
 * and a link with an unsafe URL already stored is served without its link. Set as the config's `editor`, it serves every richText
 * field without an editor of its own; a field that needs other features passes them here rather
 * than calling `lexicalEditor` itself, so it keeps the guard.
 */
export const guardedLexicalEditor = (
  props?: LexicalEditorProps,
): ReturnType<typeof lexicalEditor> => {
  const provideEditor = lexicalEditor(props)
  return async (args) => {
    const adapter = await provideEditor(args)
    const nodeKinds = getNodeKinds(adapter.editorConfig)
    const findProblem = (value: unknown) => findEditorStateProblem(value, nodeKinds)
    // Also part of validation, so the admin's form reports it like any invalid field.
    const validate: Validate = async (value, options) =>
      findProblem(value) ?? adapter.validate(value, options)
    return {
      ...adapter,
      hooks: {
        ...adapter.hooks,
        beforeValidate: [
          getRefuseMalformedHook(findProblem),
          ...(adapter.hooks?.beforeValidate ?? []),
        ],
        afterRead: [...(adapter.hooks?.afterRead ?? []), unwrapUnsafeLinksHook],
      },
      validate,
    }
  }
}
