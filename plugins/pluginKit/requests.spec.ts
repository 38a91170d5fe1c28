import { describe, expect, it } from 'vitest'

import { hasCredentials, sortFieldPaths } from './requests'

describe('sortFieldPaths', () => {
  it('should read the fields of a sort in either form, without direction', () => {
    expect(sortFieldPaths('-name, +price')).toEqual(['name', 'price'])
    expect(sortFieldPaths(['-name', 'category__sortOrder'])).toEqual(['name', 'category.sortOrder'])
    expect(sortFieldPaths(undefined)).toEqual([])
  })
})

describe('hasCredentials', () => {
  it('should tell signed-in requests by header or session cookie, and only by those', () => {
    expect(hasCredentials({ authorization: 'JWT x' }, 'payload-token')).toBe(true)
    expect(hasCredentials({ cookie: 'theme=dark; payload-token=x' }, 'payload-token')).toBe(true)
    expect(hasCredentials({ cookie: 'theme=dark; my-payload-token=x' }, 'payload-token')).toBe(
      false,
    )
    expect(hasCredentials({ cookie: 'theme=dark' }, 'payload-token')).toBe(false)
    expect(hasCredentials({}, 'payload-token')).toBe(false)
  })
})
