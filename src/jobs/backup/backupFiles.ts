/**
 * Names of backup files, and which of them retention removes. A backup is a set of files sharing
 * one id, `catalog-2026-11-25T03-00-00-000Z` (`-final` appended for a decommissioning backup):
 * the dump, its manifest, and for final backups the media inventory. The id carries the creation
 * time, so pruning needs nothing but a directory or bucket listing.
 */

export const backupFileSuffixes = {
  dump: '.dump',
  manifest: '.manifest.json',
  mediaInventory: '.media.json',
} as const

export type BackupFileKind = keyof typeof backupFileSuffixes

/** Files are written under this suffix and renamed when complete: a crash leaves no good-looking file. */
export const partialSuffix = '.partial'

/** Backups in the bucket live under this prefix, beside (never inside) the media prefix. */
export const bucketBackupPrefix = 'backups/'

const idPattern = /^catalog-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(-final)?$/

export const formatBackupId = ({
  createdAt,
  isFinal,
}: {
  createdAt: Date
  isFinal: boolean
}): string => `catalog-${createdAt.toISOString().replace(/[:.]/g, '-')}${isFinal ? '-final' : ''}`

export type ParsedBackupId = { id: string; createdAt: Date; isFinal: boolean }

export const parseBackupId = (id: string): ParsedBackupId | undefined => {
  const match = idPattern.exec(id)
  if (!match) return undefined
  const [, day, hours, minutes, seconds, millis, final] = match
  const createdAt = new Date(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`)
  if (Number.isNaN(createdAt.getTime())) return undefined
  return { id, createdAt, isFinal: Boolean(final) }
}

export type ParsedBackupFile = ParsedBackupId & { kind: BackupFileKind; isPartial: boolean }

/** A file name (or the last part of a bucket key) of a backup file; undefined for anything else. */
export const parseBackupFileName = (name: string): ParsedBackupFile | undefined => {
  const isPartial = name.endsWith(partialSuffix)
  const complete = isPartial ? name.slice(0, -partialSuffix.length) : name
  for (const [kind, suffix] of Object.entries(backupFileSuffixes) as [BackupFileKind, string][]) {
    if (!complete.endsWith(suffix)) continue
    const parsed = parseBackupId(complete.slice(0, -suffix.length))
    return parsed ? { ...parsed, kind, isPartial } : undefined
  }
  return undefined
}

export const toBackupFileName = (id: string, kind: BackupFileKind): string =>
  `${id}${backupFileSuffixes[kind]}`

const dayMs = 24 * 60 * 60 * 1000

/** No dump takes this long, so a partial file this old was left by a run that died. */
const abandonedPartialAgeMs = dayMs

type SelectForPruningArgs = {
  /** File names, or bucket keys (only their last part is read). */
  names: string[]
  now: Date
  retentionDays: number
  /** Ids never pruned, whatever their age: the backup that was just taken. */
  protectedIds?: string[]
}

/**
 * Which backup files retention removes: every file of a backup older than `retentionDays`, except
 * final (decommissioning) backups, which are kept until someone deletes them by hand; partial
 * files once they are clearly abandoned. Names that are not ours are never touched.
 */
export const selectFilesToPrune = ({
  names,
  now,
  retentionDays,
  protectedIds = [],
}: SelectForPruningArgs): string[] =>
  names.filter((name) => {
    const parsed = parseBackupFileName(name.split('/').pop() ?? name)
    if (!parsed || parsed.isFinal || protectedIds.includes(parsed.id)) return false
    const ageMs = now.getTime() - parsed.createdAt.getTime()
    return ageMs > (parsed.isPartial ? abandonedPartialAgeMs : retentionDays * dayMs)
  })

/** The newest complete backup among these names (manifests only: a dump without one is unfinished). */
export const findLatestBackupId = (names: string[]): string | undefined =>
  names
    .map((name) => parseBackupFileName(name.split('/').pop() ?? name))
    .filter((parsed) => parsed?.kind === 'manifest' && !parsed.isPartial)
    .sort((a, b) => (b?.createdAt.getTime() ?? 0) - (a?.createdAt.getTime() ?? 0))[0]?.id
