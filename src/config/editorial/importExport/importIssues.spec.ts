import { describe, expect, it } from 'vitest'

import { faultFromMessage, fieldFaultsOf, toImportIssue } from './importIssues'

describe('fieldFaultsOf', () => {
  it("should read a ValidationError's fields as CSV columns with their reasons", () => {
    const error = {
      data: {
        errors: [
          { path: 'price', message: 'This field must be a number.' },
          { path: 'tags.0', message: 'Too long.' },
        ],
      },
    }
    expect(fieldFaultsOf(error)).toEqual([
      { column: 'price', reason: 'This field must be a number.' },
      { column: 'tags_0', reason: 'Too long.' },
    ])
  })

  it('should find nothing in an error without field details', () => {
    expect(fieldFaultsOf(new Error('boom'))).toEqual([])
    expect(fieldFaultsOf(undefined)).toEqual([])
  })
})

describe('faultFromMessage', () => {
  it('should name the match column of a row that matched nothing', () => {
    expect(faultFromMessage('Document with slug="green-tea" not found')).toEqual({
      column: 'slug',
      reason: 'no document has slug "green-tea"',
    })
    expect(faultFromMessage('Match field "id" not found in document')).toEqual({
      column: 'id',
      reason: 'empty; update and upsert find the document by it',
    })
  })

  it('should blame the whole row for anything else', () => {
    expect(faultFromMessage('Something else')).toEqual({ column: 'row', reason: 'Something else' })
  })
})

describe('toImportIssue', () => {
  it('should say each column and reason', () => {
    expect(
      toImportIssue({
        row: 3,
        data: { name: '' },
        message: 'The following fields are invalid: Name, Price',
        faults: [
          { column: 'name', reason: 'This field is required.' },
          { column: 'price', reason: 'Enter a price in minor units.' },
        ],
      }),
    ).toEqual({
      row: 3,
      column: 'name, price',
      error: 'name: This field is required.; price: Enter a price in minor units.',
      data: { name: '' },
    })
  })

  it("should fall back to the plugin's message", () => {
    expect(
      toImportIssue({ row: 1, data: {}, message: 'Document with id="9" not found', faults: [] }),
    ).toMatchObject({ column: 'id', error: 'id: no document has id "9"' })
  })
})
