import { describe, expect, it } from 'vitest'

import { compareRowCounts, parseBackupManifest, type BackupManifest } from './manifest'

const manifest: BackupManifest = {
  formatVersion: 1,
  id: 'catalog-2026-11-25T03-00-00-000Z',
  createdAt: '2026-11-25T03:00:00.000Z',
  isFinal: false,
  durationSeconds: 2.5,
  database: { name: 'catalog', serverVersion: '15.20' },
  dump: {
    file: 'catalog-2026-11-25T03-00-00-000Z.dump',
    format: 'custom',
    bytes: 1234,
    sha256: 'a'.repeat(64),
    pgDumpVersion: 'pg_dump (PostgreSQL) 15.20',
    pgDumpMajor: 15,
  },
  tables: { 'public.items': 12, 'public.media': 18 },
  migrations: { applied: ['20261125_180303_initial'], latest: '20261125_180303_initial' },
  media: { backend: 'r2', objects: 54, bytes: 1_000_000 },
}

describe('parseBackupManifest', () => {
  it('should read a manifest it wrote', () => {
    expect(parseBackupManifest(JSON.stringify(manifest), 'x.manifest.json')).toEqual(manifest)
  })

  it('should name the file and the bad fields of a damaged manifest', () => {
    expect(() => parseBackupManifest('{"formatVersion":1,', 'x.manifest.json')).toThrow(
      /x\.manifest\.json is not valid JSON/,
    )
    const broken = { ...manifest, dump: { ...manifest.dump, sha256: 'not-a-hash' }, tables: 'many' }
    expect(() => parseBackupManifest(JSON.stringify(broken), 'y.manifest.json')).toThrow(
      /y\.manifest\.json is not a catalog-cms backup manifest \(bad fields: dump\.sha256, tables\)/,
    )
  })
})

describe('compareRowCounts', () => {
  it('should report tables that differ or are missing, and ignore tables the manifest lacks', () => {
    expect(
      compareRowCounts({
        expected: { 'public.items': 12, 'public.media': 18, 'public.users': 2 },
        actual: { 'public.items': 12, 'public.media': 17, 'public.new_table': 0 },
      }),
    ).toEqual([
      { table: 'public.media', expected: 18, actual: 17 },
      { table: 'public.users', expected: 2, actual: undefined },
    ])
  })
})
