import { describe, expect, it } from 'vitest'

import { plainTextToRichText } from '../../lib/richText'
import {
  findEditorStateProblem,
  maxIndent,
  maxRichTextDepth,
  maxTextFormat,
  withoutUnsafeLinks,
  type NodeKind,
} from './editorState'

/** The node types of the default Lexical editor, as the editor reports them. */
const nodeKinds = new Map<string, NodeKind>([
  ['root', 'element'],
  ['paragraph', 'element'],
  ['heading', 'element'],
  ['list', 'element'],
  ['listitem', 'element'],
  ['link', 'element'],
  ['autolink', 'element'],
  ['text', 'text'],
  ['tab', 'text'],
  ['linebreak', 'leaf'],
  ['upload', 'leaf'],
  ['horizontalrule', 'leaf'],
])

const problemOf = (value: unknown) => findEditorStateProblem(value, nodeKinds)

const text = (extra: Record<string, unknown> = {}) => ({
  type: 'text',
  text: 'Tea',
  format: 0,
  style: '',
  mode: 'normal',
  detail: 0,
  version: 1,
  ...extra,
})
const paragraph = (children: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'paragraph',
  children,
  direction: 'ltr',
  format: '',
  indent: 0,
  textFormat: 0,
  version: 1,
  ...extra,
})
const state = (children: unknown, extra: Record<string, unknown> = {}) => ({
  root: { type: 'root', children, direction: null, format: '', indent: 0, version: 1, ...extra },
})

/** Paragraphs nested `levels` deep under the root, a text node in the innermost. */
const nested = (levels: number): unknown =>
  state([Array.from({ length: levels - 2 }).reduce<unknown>((inner) => paragraph([inner]), text())])

describe('findEditorStateProblem', () => {
  it.each([
    ['no value', undefined],
    ['null', null],
    ['what the seed writes', plainTextToRichText('First line\nSecond line')],
    ['an empty root', state([])],
    [
      'every kind of node',
      state([
        { type: 'heading', tag: 'h2', children: [text()], format: 'center', version: 1 },
        paragraph([
          text({ format: maxTextFormat }),
          { type: 'linebreak', version: 1 },
          { type: 'tab', text: '\t', format: 0, mode: 'normal', detail: 2, style: '', version: 1 },
          { type: 'link', fields: { url: 'https://example.com' }, children: [text()], version: 3 },
        ]),
        {
          type: 'list',
          listType: 'bullet',
          tag: 'ul',
          start: 1,
          children: [{ type: 'listitem', value: 1, indent: maxIndent, children: [text()] }],
          version: 1,
        },
        { type: 'upload', relationTo: 'media', value: 1, fields: null, format: '', version: 3 },
        { type: 'horizontalrule', version: 1 },
      ]),
    ],
    [`nodes ${maxRichTextDepth} deep`, nested(maxRichTextDepth)],
  ])('should accept %s', (_label, value) => {
    expect(problemOf(value)).toBeUndefined()
  })

  it.each([
    ['a string', 'plain text', /Lexical editor state/],
    ['a list', [], /Lexical editor state/],
    ['no root', { children: [] }, /Lexical editor state/],
    ['root as a string', { root: 'x' }, /Lexical editor state/],
    ['a root of another type', { root: { type: 'paragraph', children: [] } }, /^root: .*"root"/],
    ['a root without a type', { root: { children: [] } }, /^root: .*"root"/],
    ['children as a string', state('x'), /^root: children must be a list/],
    ['children as null', state(null), /^root: children must be a list/],
    ['no children', { root: { type: 'root' } }, /^root: children must be a list/],
    ['a number for a node', state([1]), /^root\.children\[0\]: a node must be an object/],
    ['null for a node', state([null]), /^root\.children\[0\]: a node must be an object/],
    ['a list for a node', state([[]]), /^root\.children\[0\]: a node must be an object/],
    ['an empty node', state([{}]), /^root\.children\[0\]: the node has no type/],
    ['a numeric type', state([{ type: 7 }]), /^root\.children\[0\]: the node has no type/],
    ['an unknown type', state([{ type: 'script' }]), /"script" is not a node type/],
    ['a nested root', state([{ type: 'root', children: [] }]), /only the root node/],
    [
      'a paragraph without children',
      state([{ type: 'paragraph', version: 1 }]),
      /^root\.children\[0\]: children must be a list/,
    ],
    [
      'text as a number',
      state([paragraph([text({ text: 5 })])]),
      /^root\.children\[0\]\.children\[0\]: a text node needs text/,
    ],
    ['text missing', state([paragraph([{ type: 'text' }])]), /a text node needs text/],
    ['a huge text format', state([paragraph([text({ format: 1e300 })])]), /format/],
    [
      'a text format past the bits',
      state([paragraph([text({ format: maxTextFormat + 1 })])]),
      /format/,
    ],
    ['a negative text format', state([paragraph([text({ format: -1 })])]), /format/],
    ['a text format as a word', state([paragraph([text({ format: 'bold' })])]), /format/],
    ['a fractional text format', state([paragraph([text({ format: 1.5 })])]), /format/],
    ['an unknown text mode', state([paragraph([text({ mode: 'shouting' })])]), /mode/],
    ['a text detail out of range', state([paragraph([text({ detail: 4 })])]), /detail/],
    ['a numeric paragraph format', state([paragraph([], { format: 99 })]), /format must be one of/],
    ['an unknown alignment', state([paragraph([], { format: 'middle' })]), /format must be one of/],
    ['a huge indent', state([paragraph([], { indent: 1e9 })]), /indent/],
    ['a negative indent', state([paragraph([], { indent: -1 })]), /indent/],
    ['an unknown direction', state([paragraph([], { direction: 'up' })]), /direction/],
    ['a text format on a paragraph', state([paragraph([], { textFormat: 1e12 })]), /textFormat/],
    ['a style that is no text', state([paragraph([text({ style: { color: 'red' } })])]), /style/],
    ['a version that is no number', state([paragraph([], { version: '1' })]), /version/],
    [
      'children on a text node',
      state([paragraph([text({ children: [] })])]),
      /a text node has no children/,
    ],
    ['children on a line break', state([{ type: 'linebreak', children: [1] }]), /no children/],
    [
      `nodes ${maxRichTextDepth + 1} deep`,
      nested(maxRichTextDepth + 1),
      new RegExp(`at most ${maxRichTextDepth} nodes deep`),
    ],
  ])('should refuse %s', (_label, value, message) => {
    expect(problemOf(value)).toMatch(message)
  })

  it('should name the first bad node in document order', () => {
    const value = state([paragraph([text()]), paragraph([text(), { type: 'nope' }]), 'x'])
    expect(problemOf(value)).toBe(
      'root.children[1].children[1]: "nope" is not a node type this editor knows.',
    )
  })

  it('should refuse 100,000 levels of nesting without overflowing the stack', () => {
    let node: unknown = text()
    for (let level = 0; level < 100_000; level += 1) node = { type: 'paragraph', children: [node] }
    expect(problemOf(state([node]))).toMatch(/nodes deep/)
  })

  it('should quote a long unknown type cut short', () => {
    expect(problemOf(state([{ type: 'x'.repeat(10_000) }]))).toMatch(
      /^root\.children\[0\]: "x{40}…"/,
    )
  })
})

const link = (url: unknown, type = 'link') =>
  ({ type, fields: { url, linkType: 'custom' }, children: [text({ text: 'offer' })] }) as const

describe('links in findEditorStateProblem', () => {
  it.each([
    ['a link', link('javascript:alert(1)')],
    ['an autolink', link('JaVaScRiPt:alert(1)', 'autolink')],
    ['a link with a tab in its scheme', link('java\tscript:alert(1)')],
    ['a link with an encoded scheme', link('&#106;avascript:alert(1)')],
    ['a data: link', link('data:text/html,<script>alert(1)</script>')],
  ])('should refuse %s to a URL that runs script, naming the node', (_label, node) => {
    expect(problemOf(state([paragraph([text(), node])]))).toMatch(
      /^root\.children\[0\]\.children\[1\]: a link may only lead to http, https, mailto, tel or relative URLs; ".*" does not\.$/,
    )
  })

  it('should refuse a link URL that is not text', () => {
    expect(problemOf(state([paragraph([link(42)])]))).toMatch(/a link URL must be text/)
  })

  it('should accept safe and relative links, and links without a URL', () => {
    for (const url of ['https://example.com', 'mailto:a@example.com', 'tel:+1', '/a', '#b', null]) {
      expect(problemOf(state([paragraph([link(url)])])), String(url)).toBeUndefined()
    }
  })
})

describe('withoutUnsafeLinks', () => {
  it('should unwrap links to unsafe URLs, keeping their text, wherever they are', () => {
    const value = state([
      paragraph([text({ text: 'See ' }), link('javascript:alert(1)')]),
      paragraph([link('https://example.com'), link(' data:text/html,x', 'autolink')]),
    ])
    expect(withoutUnsafeLinks(value)).toEqual(
      state([
        paragraph([text({ text: 'See ' }), text({ text: 'offer' })]),
        paragraph([link('https://example.com'), text({ text: 'offer' })]),
      ]),
    )
  })

  it('should drop the URL of a node that holds no children', () => {
    const value = state([
      paragraph([{ type: 'upload', fields: { url: 'javascript:x', alt: 'a' } }]),
    ])
    expect(withoutUnsafeLinks(value)).toEqual(
      state([paragraph([{ type: 'upload', fields: { alt: 'a' } }])]),
    )
  })

  it('should return a state without unsafe links, and anything else, as it is', () => {
    const safe = state([paragraph([link('https://example.com')])])
    expect(withoutUnsafeLinks(safe)).toBe(safe)
    expect(withoutUnsafeLinks(null)).toBeNull()
    expect(withoutUnsafeLinks('text')).toBe('text')
  })
})
