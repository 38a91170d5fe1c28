import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'

import { plainTextToRichText } from '../../lib/richText'
import { maxRichTextDepth } from './editorState'
import {
  escapeHTML,
  findUploadReferences,
  richTextToHTML,
  type HTMLUpload,
  type ResolveUpload,
} from './html'
import { expectInertHTML as expectInert } from '../../../tests/helpers/inertHTML'

const text = (value: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'text',
  text: value,
  format: 0,
  style: '',
  mode: 'normal',
  detail: 0,
  version: 1,
  ...extra,
})
const paragraph = (children: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'paragraph',
  children,
  format: '',
  indent: 0,
  version: 1,
  ...extra,
})
const state = (children: unknown[]) => ({
  root: { type: 'root', children, direction: null, format: '', indent: 0, version: 1 },
})
const link = (fields: Record<string, unknown>, children: unknown[] = [text('offer')]) => ({
  type: 'link',
  fields: { linkType: 'custom', ...fields },
  children,
  version: 3,
})
const upload = (value: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'upload',
  relationTo: 'media',
  value,
  fields: null,
  format: '',
  version: 3,
  ...extra,
})

const tea: HTMLUpload = {
  url: 'https://media.example.com/media/tea.jpg',
  alt: 'A cup of tea',
  width: 1700,
  height: 1000,
  mimeType: 'image/jpeg',
  sizes: {
    thumbnail: { url: 'https://media.example.com/media/tea-320x188.jpg', width: 320, height: 188 },
    card: { url: 'https://media.example.com/media/tea-768x452.jpg', width: 768, height: 452 },
    hero: { url: null, width: null, height: null },
  },
}

const toHTML = (value: unknown, resolveUpload?: ResolveUpload) =>
  richTextToHTML({ value, resolveUpload }) as string

let consoleError: MockInstance

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
})

afterEach(() => {
  // Payload logs a node it could not convert with console.error, past the app's logger.
  expect(consoleError).not.toHaveBeenCalled()
  consoleError.mockRestore()
})

describe('richTextToHTML', () => {
  it('should render paragraphs without a container', () => {
    expect(toHTML(plainTextToRichText('First line\nSecond line'))).toBe(
      '<p>First line</p><p>Second line</p>',
    )
  })

  it('should render null for no value and an empty string for an empty state', () => {
    expect(richTextToHTML({ value: null })).toBeNull()
    expect(richTextToHTML({ value: undefined })).toBeNull()
    expect(toHTML(state([]))).toBe('')
    expect(toHTML(state([paragraph([])]))).toBe('')
  })

  it('should render what the editor writes', () => {
    const value = state([
      { type: 'heading', tag: 'h2', children: [text('Tea', { format: 1 })], version: 1 },
      paragraph([text('Loose '), text('leaf', { format: 2 }), { type: 'linebreak', version: 1 }]),
      paragraph([link({ url: 'https://example.com/tea', newTab: true }, [text('Buy')])], {
        format: 'center',
      }),
      { type: 'quote', children: [text('Quoted')], version: 1 },
      {
        type: 'list',
        tag: 'ol',
        listType: 'number',
        start: 1,
        children: [{ type: 'listitem', value: 1, children: [text('One')], version: 1 }],
        version: 1,
      },
      { type: 'horizontalrule', version: 1 },
    ])
    const html = toHTML(value)
    expect(html).toBe(
      [
        '<h2><strong>Tea</strong></h2>',
        '<p>Loose <em>leaf</em><br /></p>',
        '<p style="text-align: center;"><a href="https://example.com/tea" target="_blank" rel="noopener noreferrer">Buy</a></p>',
        '<blockquote>Quoted</blockquote>',
        '<ol class="list-number"><li value="1">One</li></ol>',
        '<hr />',
      ].join(''),
    )
    expectInert(html)
  })

  it('should render a check list the same way every time', () => {
    const value = state([
      {
        type: 'list',
        tag: 'ul',
        listType: 'check',
        children: [
          { type: 'listitem', value: 1, checked: true, children: [text('Done')], version: 1 },
          { type: 'listitem', value: 2, children: [text('To do')], version: 1 },
        ],
        version: 1,
      },
    ])
    const html = toHTML(value)
    expect(html).toBe(
      '<ul class="list-check">' +
        '<li role="checkbox" aria-checked="true" class="list-item-checkbox list-item-checkbox-checked" value="1">Done</li>' +
        '<li role="checkbox" aria-checked="false" class="list-item-checkbox list-item-checkbox-unchecked" value="2">To do</li>' +
        '</ul>',
    )
    expect(toHTML(value)).toBe(html)
    expectInert(html)
  })
})

describe('richTextToHTML with hostile content', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an image with an error handler', '<img src=x onerror=alert(1)>'],
    ['an attribute breaking out', '" onmouseover="alert(1)'],
    ['a single-quoted attribute breaking out', "' onfocus='alert(1)"],
    ['an entity', '&lt;script&gt;'],
    ['a comment', '<!-- x --><style>*{}</style>'],
  ])('should escape %s in text', (_label, hostile) => {
    for (const format of [0, 1, 16, 127]) {
      const html = toHTML(state([paragraph([text(hostile, { format })])]))
      expect(html).toContain(escapeHTML(hostile))
      expectInert(html)
    }
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\u200bscript:alert(1)',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '%6Aavascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
  ])('should keep the text of a link to %j, without the link', (url) => {
    for (const type of ['link', 'autolink']) {
      const html = toHTML(state([paragraph([{ ...link({ url }), type }])]))
      expect(html).toBe('<p>offer</p>')
    }
  })

  it('should escape quotes in a link URL, and ignore other fields', () => {
    const html = toHTML(
      state([
        paragraph([
          link({
            url: 'https://example.com/?q=" onclick="alert(1)',
            newTab: 'yes" onclick="alert(1)',
            rel: 'x" onclick="alert(1)',
          }),
        ]),
      ]),
    )
    expect(html).toBe(
      '<p><a href="https://example.com/?q=&quot; onclick=&quot;alert(1)">offer</a></p>',
    )
    expectInert(html)
  })

  it('should render a link to a document inside the CMS as its text', () => {
    const internal = link({ linkType: 'internal', doc: { relationTo: 'items', value: 7 } })
    expect(toHTML(state([paragraph([internal])]))).toBe('<p>offer</p>')
  })

  it('should keep tags, classes and styles to fixed lists whatever a node says', () => {
    const html = toHTML(
      state([
        { type: 'heading', tag: 'script', children: [text('x')], version: 1 },
        { type: 'heading', tag: 'h2 onclick="alert(1)"', children: [text('x')], version: 1 },
        paragraph([text('x')], { format: 'center" onclick="alert(1)', indent: '1;}*{x' }),
        paragraph([text('x')], { indent: 2, direction: 'rtl" onclick="x' }),
        {
          type: 'list',
          tag: 'script',
          listType: 'x" onclick="alert(1)',
          children: [
            {
              type: 'listitem',
              value: '1" onclick="alert(1)',
              checked: 'x" onclick="alert(1)',
              format: 'right',
              children: [text('x')],
              version: 1,
            },
          ],
          version: 1,
        },
      ]),
    )
    expect(html).toBe(
      // An indent that is no number gives a length browsers ignore; writes refuse such indents.
      '<h1>x</h1><h1>x</h1><p style="padding-inline-start: NaNpx;">x</p><p style="padding-inline-start: 80px;">x</p>' +
        '<ul class="list-bullet"><li style="text-align: right;">x</li></ul>',
    )
    expectInert(html)
  })

  it('should render nodes no converter knows as their children, never their own content', () => {
    const html = toHTML(
      state([
        { type: 'script', html: '<script>alert(1)</script>', children: [text('<b>kept</b>')] },
        { type: 'block', fields: { blockType: 'embed', html: '<iframe src="x">' }, version: 2 },
        { type: 'inlineBlock', fields: { blockType: 'x' }, version: 1 },
        { type: 'relationship', relationTo: 'users', value: { id: 1, email: 'a@example.com' } },
        { type: 'table', children: [{ type: 'tablerow', children: [text('cell')] }] },
      ]),
    )
    expect(html).toBe('&lt;b&gt;kept&lt;/b&gt;cell')
    expectInert(html)
  })

  it.each([
    ['a string', 'plain text'],
    ['no root', { children: [] }],
    ['children that are not a list', state('x' as never)],
    ['a paragraph without children', state([{ type: 'paragraph', version: 1 }])],
    ['a node without a type', state([{ children: [] }])],
    ['text that is not text', state([paragraph([text({ toString: () => '<b>' })])])],
    ['nesting deeper than writes allow', state([deeplyNested(maxRichTextDepth)])],
    ['100,000 levels of nesting', state([deeplyNested(100_000)])],
  ])('should render null for a state with %s', (_label, value) => {
    expect(richTextToHTML({ value })).toBeNull()
  })
})

function deeplyNested(levels: number): unknown {
  let node: unknown = text('deep')
  for (let level = 0; level < levels; level += 1) node = paragraph([node])
  return node
}

describe('richTextToHTML with uploads', () => {
  const resolveTea: ResolveUpload = ({ relationTo, id }) =>
    relationTo === 'media' && id === 5 ? tea : undefined

  it('should render an image from what the reader may read, with every size', () => {
    const html = toHTML(state([upload(5)]), resolveTea)
    expect(html).toBe(
      '<img src="https://media.example.com/media/tea.jpg" alt="A cup of tea" width="1700" height="1000" srcset="https://media.example.com/media/tea-320x188.jpg 320w, https://media.example.com/media/tea-768x452.jpg 768w, https://media.example.com/media/tea.jpg 1700w" />',
    )
    expectInert(html)
    // A value already populated by Payload is read by its id, not trusted as it is.
    expect(
      toHTML(state([upload({ id: 5, url: 'javascript:alert(1)', alt: '<script>' })]), resolveTea),
    ).toBe(html)
  })

  it('should render nothing for an upload the reader may not read, or that is gone', () => {
    expect(toHTML(state([upload(6), paragraph([text('after')])]), resolveTea)).toBe('<p>after</p>')
    expect(toHTML(state([upload(5)]))).toBe('')
    expect(toHTML(state([upload(5, { relationTo: 'users' })]), resolveTea)).toBe('')
  })

  it('should escape what the document holds, and drop URLs that could run script', () => {
    const hostile: HTMLUpload = {
      ...tea,
      alt: '"><script>alert(1)</script>',
      width: '1" onload="alert(1)' as never,
      sizes: {
        thumbnail: { url: 'javascript:alert(1)', width: 320 },
        card: { url: 'https://media.example.com/a" onerror="x.jpg', width: 768 },
      },
    }
    const html = toHTML(state([upload(5)]), () => hostile)
    expect(html).toContain('alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    expect(html).not.toContain('javascript:')
    expectInert(html)
    expect(toHTML(state([upload(5)]), () => ({ ...tea, url: 'javascript:alert(1)' }))).toBe('')
    expect(toHTML(state([upload(5, { fields: { alt: '<b onclick=x>' } })]), resolveTea)).toContain(
      'alt="&lt;b onclick=x&gt;"',
    )
  })

  it('should link a file that is not an image', () => {
    const pdf: HTMLUpload = {
      url: '/api/files/file/a.pdf',
      alt: 'Price list',
      mimeType: 'application/pdf',
    }
    expect(toHTML(state([upload(1)]), () => pdf)).toBe(
      '<a href="/api/files/file/a.pdf">Price list</a>',
    )
  })
})

describe('findUploadReferences', () => {
  it('should list every upload node, by id, wherever it is', () => {
    expect(
      findUploadReferences(
        state([
          upload(1),
          paragraph([text('x')]),
          { type: 'list', children: [{ type: 'listitem', children: [upload({ id: 'abc' })] }] },
          upload(null),
        ]),
      ),
    ).toEqual([
      { relationTo: 'media', id: 1 },
      { relationTo: 'media', id: 'abc' },
    ])
  })
})
