import fs from 'node:fs'
import path from 'node:path'

import { getStorageUsage } from '../../storage/storageUsage'
import type { JobStep } from '../jobSteps'
import { selectFilesToPrune, toBackupFileName } from './backupFiles'
import { BackupJobError } from './backupJobError'
import {
  hashFile,
  listLocalBackupNames,
  removeLocalFiles,
  writeFileAtomically,
  type BucketBackupStore,
} from './backupStore'
import { dumpDatabase, type DumpResult } from './dumpDatabase'
import type { BackupManifest } from './manifest'
import { listMediaObjects } from './mediaObjects'
import type { BackupEnv, BackupSummary } from './runBackup'

/** What the steps of one backup share: its settings, its summary, and what earlier steps made. */
export type BackupContext = {
  env: BackupEnv
  isFinal: boolean
  progress: (message: string) => void
  startedAt: Date
  id: string
  dir: string
  bucket?: BucketBackupStore
  summary: BackupSummary
  dumped?: DumpResult
  media?: BackupManifest['media']
  mediaInventory?: BackupManifest['mediaInventory']
  /** The one "now" that both pruning steps measure retention from. */
  pruneNow?: Date
}

export type BackupStep = JobStep<BackupContext> & {
  /**
   * How the problem line of an optional step starts. A step without one is essential: its failure
   * stops the backup and comes first among the problems, as it is.
   */
  failure?: string
}

const fileOf = (
  { dir, id }: Pick<BackupContext, 'dir' | 'id'>,
  kind: Parameters<typeof toBackupFileName>[1],
) => path.join(dir, toBackupFileName(id, kind))

const createFolder: BackupStep = {
  name: 'Create the backup folder',
  run: async ({ dir }) => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 })
  },
}

const dump: BackupStep = {
  name: 'Dump the database',
  run: async (context) => {
    const { env, progress, summary } = context
    const dumpFile = fileOf(context, 'dump')
    const dumped = await dumpDatabase({ env, dumpFile, progress })
    context.dumped = dumped
    Object.assign(summary, {
      file: dumpFile,
      bytes: dumped.dump.bytes,
      sha256: dumped.dump.sha256,
      tables: Object.keys(dumped.tables).length,
      rows: Object.values(dumped.tables).reduce((total, rows) => total + rows, 0),
    })
    progress(`Dump written: ${dumpFile} (${dumped.dump.bytes} bytes)`)
  },
}

const countMedia: BackupStep = {
  name: 'Count media objects',
  isOptional: true,
  failure: 'Counting media objects failed',
  run: async (context) => {
    context.media = await getStorageUsage(context.env)
    context.summary.mediaObjects = context.media.objects
  },
}

const writeMediaInventory: BackupStep = {
  name: 'Write the media inventory',
  isOptional: true,
  failure: 'Writing the media inventory failed',
  run: async (context) => {
    const { env, id } = context
    const objects = await listMediaObjects(env)
    const file = fileOf(context, 'mediaInventory')
    const inventory = {
      backupId: id,
      createdAt: new Date().toISOString(),
      backend: env.r2 ? 'r2' : 'local',
      bucket: env.r2?.bucket,
      prefix: env.r2 ? `${env.MEDIA_KEY_PREFIX}/` : undefined,
      objects,
      totalObjects: objects.length,
      totalBytes: objects.reduce((total, object) => total + object.bytes, 0),
    }
    await writeFileAtomically(file, `${JSON.stringify(inventory, null, 2)}\n`)
    context.mediaInventory = {
      file: path.basename(file),
      sha256: (await hashFile(file)).digest,
      objects: objects.length,
    }
    context.summary.mediaInventory = file
  },
}

/** Written last: a manifest is what marks a backup as complete, locally and in the bucket. */
const writeManifest: BackupStep = {
  name: 'Write the manifest',
  run: async (context) => {
    const { id, isFinal, startedAt, dumped, media, mediaInventory } = context
    if (!dumped) throw new BackupJobError('no dump')
    const manifest: BackupManifest = {
      formatVersion: 1,
      id,
      createdAt: startedAt.toISOString(),
      isFinal,
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      ...dumped,
      media,
      mediaInventory,
    }
    await writeFileAtomically(fileOf(context, 'manifest'), `${JSON.stringify(manifest, null, 2)}\n`)
  },
}

const upload: BackupStep = {
  name: 'Upload to the bucket',
  isOptional: true,
  failure: 'Uploading to the bucket failed (the backup is only on local disk)',
  run: async (context) => {
    const { bucket, mediaInventory, progress, summary } = context
    if (!bucket) return
    const files = [
      fileOf(context, 'dump'),
      mediaInventory && fileOf(context, 'mediaInventory'),
      fileOf(context, 'manifest'),
    ]
    for (const file of files.filter((candidate): candidate is string => Boolean(candidate))) {
      progress(`Uploading ${path.basename(file)} to the bucket`)
      summary.uploaded.push(await bucket.upload(file))
    }
  },
}

const pruneArgsOf = (context: BackupContext) => ({
  now: (context.pruneNow ??= new Date()),
  retentionDays: context.env.BACKUP_RETENTION_DAYS,
  protectedIds: [context.id],
})

const pruneLocal: BackupStep = {
  name: 'Prune old local backups',
  isOptional: true,
  failure: 'Pruning old local backups failed',
  run: async (context) => {
    const { dir, summary } = context
    const names = selectFilesToPrune({
      names: await listLocalBackupNames(dir),
      ...pruneArgsOf(context),
    })
    await removeLocalFiles(dir, names)
    summary.pruned.local = names
  },
}

const pruneBucket: BackupStep = {
  name: 'Prune old backups in the bucket',
  isOptional: true,
  failure: 'Pruning old backups in the bucket failed',
  run: async (context) => {
    const { bucket, summary } = context
    if (!bucket) return
    const names = selectFilesToPrune({ names: await bucket.listNames(), ...pruneArgsOf(context) })
    await bucket.remove(names)
    summary.pruned.bucket = names
  },
}

/** The backup, in order; the media inventory only for a final backup, the bucket only with R2. */
export const getBackupSteps = ({
  isFinal,
  hasBucket,
}: {
  isFinal: boolean
  hasBucket: boolean
}): BackupStep[] => [
  createFolder,
  dump,
  countMedia,
  ...(isFinal ? [writeMediaInventory] : []),
  writeManifest,
  ...(hasBucket ? [upload] : []),
  pruneLocal,
  ...(hasBucket ? [pruneBucket] : []),
]
