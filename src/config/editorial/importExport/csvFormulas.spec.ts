import { describe, expect, it } from 'vitest'

import {
  isFormulaLike,
  neutraliseFormulaCell,
  neutraliseFormulaRow,
  restoreFormulaCell,
  restoreFormulaValues,
} from './csvFormulas'

describe('neutraliseFormulaCell', () => {
  it.each([
    ['=HYPERLINK("http://x")'],
    ['+1'],
    ['-2+3'],
    ['@SUM(1)'],
    ['\tled by a tab'],
    ['\rled by a carriage return'],
  ])('should prefix %j with a single quote', (text) => {
    expect(neutraliseFormulaCell(text)).toBe(`'${text}`)
  })

  it.each([['Green tea'], [''], ["'already quoted"], ['a=b'], [' =leading space']])(
    'should leave %j as it is',
    (text) => {
      expect(neutraliseFormulaCell(text)).toBe(text)
    },
  )

  it.each([[-5], [1999], [true], [null], [undefined]])(
    'should leave the non-text value %j as it is',
    (value) => {
      expect(neutraliseFormulaCell(value)).toBe(value)
    },
  )
})

describe('isFormulaLike', () => {
  it('should tell formula-like text from plain text', () => {
    expect(isFormulaLike('=1+1')).toBe(true)
    expect(isFormulaLike('1+1')).toBe(false)
  })
})

describe('neutraliseFormulaRow', () => {
  it('should neutralise every text cell of a row and leave the input unchanged', () => {
    const row = { name: '=cmd', price: -5, slug: 'tea', description: '@x' }
    expect(neutraliseFormulaRow(row)).toEqual({
      name: "'=cmd",
      price: -5,
      slug: 'tea',
      description: "'@x",
    })
    expect(row.name).toBe('=cmd')
  })
})

describe('restoreFormulaCell', () => {
  it.each([
    ['=HYPERLINK("http://x")'],
    ['-2+3'],
    ["'=already quoted formula"],
    ["''@twice"],
    ["'already quoted"],
    ['Green tea'],
    [''],
    ["'"],
  ])('should give back %j after a neutralised export', (text) => {
    expect(restoreFormulaCell(neutraliseFormulaCell(text))).toBe(text)
  })

  it('should take one quote off a quoted formula and leave other quoted text alone', () => {
    expect(restoreFormulaCell("'=1+1")).toBe('=1+1')
    expect(restoreFormulaCell("'quoted")).toBe("'quoted")
    expect(restoreFormulaCell(-5)).toBe(-5)
  })

  it('should restore texts in nested groups and arrays', () => {
    expect(
      restoreFormulaValues({ name: "'+1", tags: ["'@a", 'b'], group: { note: "'=x" }, price: 5 }),
    ).toEqual({ name: '+1', tags: ['@a', 'b'], group: { note: '=x' }, price: 5 })
  })
})
