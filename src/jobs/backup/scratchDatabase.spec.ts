import { describe, expect, it } from 'vitest'

import { chooseScratchDatabaseUrl } from './scratchDatabase'

const now = new Date('2026-11-25T21:30:05.000Z')
const databaseUrl = 'postgres://catalog:pw@db.internal:5432/catalog'

describe('chooseScratchDatabaseUrl', () => {
  it('should use a new, dated database on the live server by default', () => {
    const url = new URL(chooseScratchDatabaseUrl({ databaseUrl, now }))
    expect(url.host).toBe('db.internal:5432')
    expect(url.pathname).toMatch(/^\/catalog_drill_20261125213005_[0-9a-f]{6}$/)
    expect(url.password).toBe('pw')
  })

  it('should use DRILL_DATABASE_URL when it is set', () => {
    const drillDatabaseUrl = 'postgres://drill@staging:5432/catalog_drill'
    expect(chooseScratchDatabaseUrl({ databaseUrl, drillDatabaseUrl, now })).toBe(drillDatabaseUrl)
  })

  it('should refuse DRILL_DATABASE_URL naming the live database, whoever connects', () => {
    expect(() =>
      chooseScratchDatabaseUrl({
        databaseUrl,
        drillDatabaseUrl: 'postgres://someone-else@db.internal/catalog',
        now,
      }),
    ).toThrow(/names the live database/)
  })
})
