import { describe, expect, it } from 'vitest'

import {
  describeIncompatibleTool,
  parsePgToolVersion,
  toLibpqConnection,
  toServerMajor,
} from './pgTools'

describe('parsePgToolVersion', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n', 15],
    ['pg_restore (PostgreSQL) 17.2', 17],
    ['pg_dump (PostgreSQL) 9.6.24', 9],
    ['pg_dump (PostgreSQL) 16beta2', 16],
  ])('should read the major version of %j', (output, major) => {
    expect(parsePgToolVersion(output)?.major).toBe(major)
  })

  it('should not recognise other programs', () => {
    expect(parsePgToolVersion('pg_dump: command not found')).toBeUndefined()
    expect(parsePgToolVersion('mysqldump  Ver 8.0.36')).toBeUndefined()
  })

  it('should turn server_version_num into a major version', () => {
    expect(toServerMajor('150020')).toBe(15)
    expect(toServerMajor(170002)).toBe(17)
  })
})

describe('describeIncompatibleTool', () => {
  const version = (major: number) => ({ major, text: `pg_dump (PostgreSQL) ${major}.1` })

  it('should accept a pg_dump as new as the server or newer', () => {
    expect(
      describeIncompatibleTool({ tool: 'pg_dump', version: version(15), requiredMajor: 15 }),
    ).toBeUndefined()
    expect(
      describeIncompatibleTool({ tool: 'pg_dump', version: version(17), requiredMajor: 15 }),
    ).toBeUndefined()
  })

  it('should refuse a pg_dump older than the server and say what to install', () => {
    const problem = describeIncompatibleTool({
      tool: 'pg_dump',
      version: version(15),
      requiredMajor: 16,
    })
    expect(problem).toMatch(/too old: it cannot dump a PostgreSQL 16 server/)
    expect(problem).toMatch(/apt-get install postgresql-client-16/)
  })

  it('should refuse tools older than 15 even for an older server', () => {
    expect(
      describeIncompatibleTool({ tool: 'pg_restore', version: version(14), requiredMajor: 13 }),
    ).toMatch(/15 or newer is needed.*postgresql-client-15/)
  })
})

describe('toLibpqConnection', () => {
  it('should move the password out of the URL', () => {
    const connection = toLibpqConnection(
      'postgres://catalog:s3cr%40t-pass@db.internal:5432/catalog',
    )
    expect(connection.dbname).toBe('postgres://catalog@db.internal:5432/catalog')
    expect(connection.env).toEqual({ PGPASSWORD: 's3cr@t-pass' })
  })

  it('should set no password for URLs without one', () => {
    expect(toLibpqConnection('postgres://postgres@127.0.0.1:5432/x').env).toEqual({})
  })
})
