import { collectionSlugs } from '../../collections/slugs'

/**
 * Lexical editor-state nodes as the admin's editor writes them, for tests that store rich text.
 * `format` is Lexical's bit mask (1 bold, 2 italic…).
 */
export const lexicalText = (text: string, format = 0) => ({
  type: 'text',
  text,
  format,
  style: '',
  mode: 'normal',
  detail: 0,
  version: 1,
})

export const lexicalParagraph = (...children: unknown[]) => ({
  type: 'paragraph',
  children,
  direction: null,
  format: '',
  indent: 0,
  textFormat: 0,
  version: 1,
})

/** An upload node showing the media document `mediaId`. */
export const lexicalUpload = (mediaId: number) => ({
  type: 'upload',
  version: 3,
  format: '',
  id: '6760c0ffee0000000000abcd',
  fields: null,
  relationTo: collectionSlugs.media,
  value: mediaId,
})

/** A whole editor state whose root holds `children`. */
export const lexicalState = (...children: unknown[]) => ({
  root: { type: 'root', children, direction: null, format: '', indent: 0, version: 1 },
})
