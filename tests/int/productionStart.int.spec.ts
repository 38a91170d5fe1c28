import { spawnSync } from 'node:child_process'

import { describe, expect, it } from 'vitest'

const startInProduction = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  })

describe('production start', () => {
  it('should refuse to start without DATABASE_URL, PAYLOAD_SECRET and a media store, naming each in one message', () => {
    const result = startInProduction({})
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    // One message: a heading that counts the problems, one line each, and where to read more.
    const lines = result.stderr.trim().split('\n')
    const problems = lines.filter((line) => line.startsWith('  - '))
    expect(lines[0]).toBe(
      `catalog-cms cannot start: ${problems.length} environment variable(s) missing or invalid:`,
    )
    expect(lines).toHaveLength(problems.length + 2)
    expect(problems.map((line) => line.slice(4).split(':')[0])).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'PAYLOAD_SECRET', 'MEDIA_DIR']),
    )
    expect(result.stderr).toMatch(/DATABASE_URL: required in production/)
    expect(result.stderr).toMatch(/PAYLOAD_SECRET: required in production/)
    expect(result.stderr).toMatch(
      /MEDIA_DIR: required in production unless media go to R2;.* R2_BUCKET/,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('should not print the values of invalid secrets', () => {
    const result = startInProduction({
      DATABASE_URL: 'postgres://catalog:very-secret-password@127.0.0.1:1/catalog',
      PAYLOAD_SECRET: 'too-short-but-secret',
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/PAYLOAD_SECRET: at least 32 characters/)
    expect(result.stderr).not.toContain('too-short-but-secret')
    expect(result.stderr).not.toContain('very-secret-password')
  })

  // Regression: the CLI wrappers printed a stack trace when the database was unreachable.
  it('should explain an unreachable database in one line from npm run migrate', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/payload.ts', 'migrate'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'development',
          DATABASE_URL: 'postgres://catalog:unreachable-secret@127.0.0.1:1/catalog',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    )
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(
      'catalog-cms cannot reach its database: connect ECONNREFUSED 127.0.0.1:1',
    )
    expect(result.stdout + result.stderr).not.toContain('unreachable-secret')
  })
})
