import { describe, expect, it } from 'vitest'

import { checkImportFile, toImportMimeType } from './importFile'

const limits = { maxBytes: 1000, maxRows: 3 }
const csv = (text: string) => ({ data: Buffer.from(text), mimeType: 'text/csv' })

describe('checkImportFile', () => {
  it('should accept a well-formed CSV and count its rows', () => {
    expect(checkImportFile(csv('name,price\nTea,100\nCoffee,200\n'), limits)).toEqual({
      isAcceptable: true,
      format: 'csv',
      rowCount: 2,
    })
  })

  it('should accept a JSON array of documents', () => {
    const file = { data: Buffer.from('[{"name":"Tea"}]'), mimeType: 'application/json' }
    expect(checkImportFile(file, limits)).toMatchObject({ isAcceptable: true, format: 'json' })
  })

  it.each([
    ['an unclosed quote', 'name,price\n"Tea,100\n'],
    ['a row with more cells than the header', 'name,price\nTea,100,extra\n'],
  ])('should refuse a CSV with %s with a 400', (_label, text) => {
    expect(checkImportFile(csv(text), limits)).toMatchObject({
      isAcceptable: false,
      problem: { status: 400, message: expect.stringMatching(/not valid CSV/) },
    })
  })

  it.each([
    ['not JSON', '{"name":'],
    ['an object instead of an array', '{"name":"Tea"}'],
    ['an array of non-objects', '[1,2]'],
  ])('should refuse %s with a 400', (_label, text) => {
    const file = { data: Buffer.from(text), mimeType: 'application/json' }
    expect(checkImportFile(file, limits)).toMatchObject({
      isAcceptable: false,
      problem: { status: 400 },
    })
  })

  it('should refuse another type with a 415', () => {
    const file = { data: Buffer.from('name'), mimeType: 'text/plain' }
    expect(checkImportFile(file, limits)).toMatchObject({ problem: { status: 415 } })
  })

  it('should refuse a file over the byte limit or the row limit with a 413', () => {
    expect(checkImportFile(csv(`name\n${'x'.repeat(1000)}\n`), limits)).toMatchObject({
      problem: { status: 413 },
    })
    expect(checkImportFile(csv('name\na\nb\nc\nd\n'), limits)).toMatchObject({
      problem: { status: 413 },
    })
  })

  it('should refuse a file with a header and no rows', () => {
    expect(checkImportFile(csv('name,price\n'), limits)).toMatchObject({
      problem: { status: 400, message: 'The file has no rows to import.' },
    })
  })

  it('should read the type without its parameters', () => {
    const file = { data: Buffer.from('name\nTea\n'), mimeType: 'text/csv; charset=utf-8' }
    expect(checkImportFile(file, limits)).toMatchObject({ isAcceptable: true })
  })
})

describe('toImportMimeType', () => {
  it.each([['application/vnd.ms-excel'], ['application/octet-stream'], ['text/x-csv']])(
    'should read a .csv file sent as %s as text/csv',
    (mimeType) => {
      expect(toImportMimeType({ mimeType, filename: 'Price list.CSV' })).toBe('text/csv')
    },
  )

  it('should leave other names and types as they were sent', () => {
    expect(toImportMimeType({ mimeType: 'application/vnd.ms-excel', filename: 'a.xls' })).toBe(
      'application/vnd.ms-excel',
    )
    expect(toImportMimeType({ mimeType: 'image/png', filename: 'a.csv' })).toBe('image/png')
    expect(toImportMimeType({ mimeType: 'application/json', filename: 'a.json' })).toBe(
      'application/json',
    )
  })
})
