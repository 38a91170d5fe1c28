import { describe, expect, it } from 'vitest'

import { readScheduledPublishRequest } from './scheduledPublishRequest'

const now = new Date('2030-01-01T12:00:00Z')
const collections = ['items', 'categories']
const read = (data: unknown) => readScheduledPublishRequest({ data, collections, now })
const valid = {
  taskSlug: 'schedulePublish',
  input: { type: 'unpublish', doc: { relationTo: 'items', value: 42 } },
  waitUntil: '2030-01-01T12:05:00Z',
}

describe('reading a scheduled publish request', () => {
  it('should read a valid request, the id as Payload keeps it (a string)', () => {
    expect(read(valid)).toEqual({
      request: {
        type: 'unpublish',
        collection: 'items',
        id: '42',
        waitUntil: new Date('2030-01-01T12:05:00Z'),
      },
    })
  })

  it('should publish when no type is given', () => {
    expect(read({ ...valid, input: { doc: valid.input.doc } }).request?.type).toBe('publish')
  })

  it('should ignore the fields the server sets, and accept a user it will replace', () => {
    const withExtras = {
      ...valid,
      processing: true,
      queue: 'other',
      input: { ...valid.input, user: { relationTo: 'users', value: 1 } },
    }
    expect(read(withExtras).request?.id).toBe('42')
  })

  it('should list every problem of a bad request', () => {
    const { problems } = read({
      input: { type: 'later', doc: { relationTo: 'users', value: '' }, locale: 'fr' },
      waitUntil: 'soon',
    })
    expect(problems).toEqual([
      'input may hold type and doc only; not: locale.',
      'input.type must be "publish" or "unpublish".',
      'input.doc.relationTo must be one of: items, categories.',
      'input.doc.value must be the id of a document.',
      'waitUntil is not a date: "soon" (use ISO 8601).',
    ])
  })

  it('should refuse a time that is not after now', () => {
    expect(read({ ...valid, waitUntil: now.toISOString() }).problems).toEqual([
      'waitUntil is in the past (2030-01-01T12:00:00.000Z): pick a later time.',
    ])
  })

  it('should ask for what is missing', () => {
    expect(read({ taskSlug: 'schedulePublish' }).problems).toEqual([
      'input is required: { "type": "publish", "doc": { … } }.',
      'waitUntil is required: the time to publish at, e.g. 2030-01-31T09:00:00Z.',
    ])
    expect(read({ ...valid, input: {} }).problems).toEqual([
      'input.doc is required: { "relationTo": "items", "value": <document id> }.',
    ])
    expect(read('text').problems).toEqual(['The body must be a JSON object.'])
  })
})
