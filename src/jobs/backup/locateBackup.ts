import fs from 'node:fs'
import path from 'node:path'

import { findLatestBackupId, parseBackupFileName, toBackupFileName } from './backupFiles'
import { hashFile, listLocalBackupNames, type BucketBackupStore } from './backupStore'
import { parseBackupManifest, type BackupManifest } from './manifest'
import { BackupJobError } from './backupJobError'

export type LocatedBackup = {
  manifest: BackupManifest
  dumpFile: string
  source: 'local' | 'bucket'
}

type LocateBackupArgs = {
  backupDir: string
  bucket?: BucketBackupStore
  /** A backup id, or the path of a dump or manifest; the newest backup when absent. */
  reference?: string
  /** Where files downloaded from the bucket go. */
  downloadDir: string
}

const readManifestFile = async (file: string): Promise<BackupManifest> =>
  parseBackupManifest(await fs.promises.readFile(file, 'utf8'), file)

const toManifestPath = (reference: string) =>
  reference.endsWith('.dump') ? `${reference.slice(0, -'.dump'.length)}.manifest.json` : reference

/**
 * Finds the backup to restore — locally first, then in the bucket (downloaded to `downloadDir`) —
 * and reads its manifest. Nothing here trusts the dump: see `verifyDump`.
 */
export const locateBackup = async ({
  backupDir,
  bucket,
  reference,
  downloadDir,
}: LocateBackupArgs): Promise<LocatedBackup> => {
  const isPath = reference !== undefined && !parseBackupFileName(`${reference}.dump`)
  if (reference !== undefined && isPath) {
    const manifestFile = path.resolve(toManifestPath(reference))
    if (!fs.existsSync(manifestFile)) {
      throw new BackupJobError(
        `No backup manifest at ${manifestFile}. Give a backup id (catalog-…) or the path of a .dump whose .manifest.json lies beside it.`,
      )
    }
    const manifest = await readManifestFile(manifestFile)
    return {
      manifest,
      dumpFile: path.join(path.dirname(manifestFile), manifest.dump.file),
      source: 'local',
    }
  }

  const localNames = await listLocalBackupNames(backupDir)
  const bucketNames = bucket ? await bucket.listNames() : []
  const id = reference ?? findLatestBackupId([...localNames, ...bucketNames])
  if (!id) {
    throw new BackupJobError(
      `No backup found in ${backupDir}${bucket ? " or in the bucket's backups/ folder" : ''}. Take one with \`npm run backup\`, or set BACKUP_DIR to where they are.`,
    )
  }
  const manifestName = toBackupFileName(id, 'manifest')
  if (localNames.includes(manifestName)) {
    const manifest = await readManifestFile(path.join(backupDir, manifestName))
    return { manifest, dumpFile: path.join(backupDir, manifest.dump.file), source: 'local' }
  }
  if (bucket && bucketNames.includes(manifestName)) {
    await bucket.download(manifestName, path.join(downloadDir, manifestName))
    const manifest = await readManifestFile(path.join(downloadDir, manifestName))
    if (!bucketNames.includes(manifest.dump.file)) {
      throw new BackupJobError(
        `The bucket has the manifest of ${id} but not its dump ${manifest.dump.file}.`,
      )
    }
    await bucket.download(manifest.dump.file, path.join(downloadDir, manifest.dump.file))
    return { manifest, dumpFile: path.join(downloadDir, manifest.dump.file), source: 'bucket' }
  }
  throw new BackupJobError(
    `No backup ${id} in ${backupDir}${bucket ? " or in the bucket's backups/ folder" : ''}.`,
  )
}

/** Proves the dump is byte for byte the one the backup wrote; anything else is refused loudly. */
export const verifyDump = async ({ manifest, dumpFile }: LocatedBackup): Promise<void> => {
  if (!fs.existsSync(dumpFile)) {
    throw new BackupJobError(
      `The dump ${dumpFile} named by the manifest of ${manifest.id} is missing.`,
    )
  }
  const { bytes, digest: sha256 } = await hashFile(dumpFile)
  if (bytes !== manifest.dump.bytes || sha256 !== manifest.dump.sha256) {
    throw new BackupJobError(
      `The dump ${dumpFile} does not match its manifest: it has ${bytes} bytes with sha256 ${sha256}, the manifest says ${manifest.dump.bytes} bytes with sha256 ${manifest.dump.sha256}. The file is corrupted or truncated: restore another backup (npm run drill -- --backup <id>) and find out what damaged this one.`,
    )
  }
}
