import { describe, expect, it } from 'vitest'

import { isValidSlug, maxSlugLength, slugify } from './slugify'

describe('slugify', () => {
  it('should lower-case words and join them with single dashes', () => {
    expect(slugify('  Fresh   Fruit & Veg!  ')).toBe('fresh-fruit-veg')
  })

  it('should fold accents and ligatures to ASCII', () => {
    expect(slugify('Crème Brûlée')).toBe('creme-brulee')
    expect(slugify('Straße')).toBe('strasse')
  })

  it('should drop apostrophes instead of splitting words on them', () => {
    expect(slugify("Chef's Knives")).toBe('chefs-knives')
  })

  it('should return an empty string when nothing URL-safe is left', () => {
    expect(slugify('日本語')).toBe('')
    expect(slugify('---')).toBe('')
  })

  it('should cap the length without leaving a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(maxSlugLength - 1)} bcd`)
    expect(slug.length).toBeLessThanOrEqual(maxSlugLength)
    expect(slug.endsWith('-')).toBe(false)
    expect(isValidSlug(slug)).toBe(true)
  })
})

describe('isValidSlug', () => {
  it('should accept lower-case words separated by single dashes', () => {
    expect(isValidSlug('kitchen-knives-2')).toBe(true)
  })

  it.each(['Upper', 'two--dashes', '-leading', 'trailing-', 'white space', '../etc', ''])(
    'should reject %j',
    (value) => {
      expect(isValidSlug(value)).toBe(false)
    },
  )

  it('should reject slugs longer than the maximum', () => {
    expect(isValidSlug('a'.repeat(maxSlugLength + 1))).toBe(false)
  })
})
