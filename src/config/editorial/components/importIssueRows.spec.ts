import { describe, expect, it } from 'vitest'

import { toImportIssueRows } from './importIssueRows'

describe('toImportIssueRows', () => {
  it('should give each refused row its number, column and reason', () => {
    expect(
      toImportIssueRows([
        { row: 2, column: 'price', error: 'price: Enter a price in minor units.', data: {} },
      ]),
    ).toEqual([{ row: '2', column: 'price', reason: 'Enter a price in minor units.' }])
  })

  it("should keep a reason whole when it does not start with the row's column", () => {
    expect(
      toImportIssueRows([{ row: 4, column: 'category', error: 'pricing: unknown column' }]),
    ).toEqual([{ row: '4', column: 'category', reason: 'pricing: unknown column' }])
  })

  it('should show nothing for a value that is not a list of issues', () => {
    expect(toImportIssueRows(undefined)).toEqual([])
    expect(toImportIssueRows({ row: 1 })).toEqual([])
    expect(toImportIssueRows([null, 'text'])).toEqual([])
  })
})
