import { describe, expect, it } from 'vitest'

import {
  findLatestBackupId,
  formatBackupId,
  parseBackupFileName,
  selectFilesToPrune,
  toBackupFileName,
} from './backupFiles'

const now = new Date('2026-11-25T03:00:00.000Z')
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000)
const idFrom = (days: number, isFinal = false) =>
  formatBackupId({ createdAt: daysAgo(days), isFinal })
const filesOf = (id: string) => [toBackupFileName(id, 'dump'), toBackupFileName(id, 'manifest')]

describe('backup file names', () => {
  it('should round-trip the creation time and the final flag through a file name', () => {
    const createdAt = new Date('2026-11-25T21:30:05.123Z')
    const id = formatBackupId({ createdAt, isFinal: true })
    expect(id).toBe('catalog-2026-11-25T21-30-05-123Z-final')
    expect(parseBackupFileName(toBackupFileName(id, 'mediaInventory'))).toEqual({
      id,
      createdAt,
      isFinal: true,
      kind: 'mediaInventory',
      isPartial: false,
    })
  })

  it('should recognise partial files and ignore names that are not backups', () => {
    expect(parseBackupFileName(`${idFrom(0)}.dump.partial`)?.isPartial).toBe(true)
    expect(parseBackupFileName('notes.txt')).toBeUndefined()
    expect(parseBackupFileName('catalog-2026-13-45T99-00-00-000Z.dump')).toBeUndefined()
    expect(parseBackupFileName('catalog-latest.dump')).toBeUndefined()
  })
})

describe('selectFilesToPrune', () => {
  it('should remove backups older than the retention and keep newer ones', () => {
    const old = filesOf(idFrom(15))
    const recent = filesOf(idFrom(13))
    const pruned = selectFilesToPrune({ names: [...old, ...recent], now, retentionDays: 14 })
    expect(pruned.sort()).toEqual(old.sort())
  })

  it('should keep final backups whatever their age', () => {
    const final = [
      ...filesOf(idFrom(400, true)),
      toBackupFileName(idFrom(400, true), 'mediaInventory'),
    ]
    expect(selectFilesToPrune({ names: final, now, retentionDays: 7 })).toEqual([])
  })

  it('should keep protected backups and files that are not backups', () => {
    const id = idFrom(40)
    const names = [...filesOf(id), 'README.txt', 'catalog.sql']
    expect(selectFilesToPrune({ names, now, retentionDays: 7, protectedIds: [id] })).toEqual([])
  })

  it('should remove abandoned partial files after a day, before the retention', () => {
    const abandoned = `${idFrom(2)}.dump.partial`
    const running = `${formatBackupId({ createdAt: new Date(now.getTime() - 60_000), isFinal: false })}.dump.partial`
    expect(selectFilesToPrune({ names: [abandoned, running], now, retentionDays: 14 })).toEqual([
      abandoned,
    ])
  })

  it('should read bucket keys by their last part', () => {
    const key = `backups/${toBackupFileName(idFrom(30), 'dump')}`
    expect(selectFilesToPrune({ names: [key], now, retentionDays: 14 })).toEqual([key])
  })
})

describe('findLatestBackupId', () => {
  it('should pick the newest backup that has a manifest', () => {
    const newestWithoutManifest = toBackupFileName(idFrom(0), 'dump')
    const names = [...filesOf(idFrom(3)), ...filesOf(idFrom(1)), newestWithoutManifest]
    expect(findLatestBackupId(names)).toBe(idFrom(1))
    expect(findLatestBackupId([newestWithoutManifest])).toBeUndefined()
  })
})
