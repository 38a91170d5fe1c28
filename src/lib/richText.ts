import type { Item } from '../../payload-types'

type RichText = NonNullable<Item['description']>

/** A Lexical document with one paragraph per line of plain text. */
export const plainTextToRichText = (text: string): RichText => ({
  root: {
    type: 'root',
    format: '',
    indent: 0,
    version: 1,
    direction: 'ltr',
    children: text.split('\n').map((line) => ({
      type: 'paragraph',
      format: '',
      indent: 0,
      version: 1,
      direction: 'ltr',
      textFormat: 0,
      textStyle: '',
      children: [
        { type: 'text', text: line, format: 0, style: '', mode: 'normal', detail: 0, version: 1 },
      ],
    })),
  },
})
