/**
 * `npm test` runs this first (`pretest`; `test:int` and `test:e2e` have their own `pre` hooks):
 * checks that the programs outside npm that the tests run are there — Chromium, nginx, Varnish
 * with vmod xkey, pg_dump and pg_restore — installs what is missing with apt-get when it runs as root on Debian or Ubuntu (as
 * CI does), and otherwise stops with one message naming each missing program and what installs
 * it. `tsx scripts/test-prerequisites.ts [unit|int|e2e …]` checks for those projects only (all
 * three by default). TypeScript run by tsx like the other scripts: the tests need `npm ci` first
 * anyway, and the decisions it makes are unit-tested in testPrerequisites.spec.ts.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import { toServerMajor } from '../src/jobs/backup/pgTools'
import { withMaintenanceClient } from '../src/database/createDatabase'
import {
  aptGetInstallCommands,
  debianNginxPath,
  debianPackagesFor,
  defaultChromiumPath,
  describeMissingPrograms,
  findMissingPrograms,
  programsNeededBy,
  requiredPgMajor,
  testProjects,
  type Probes,
  type Program,
  type TestProject,
} from './testPrerequisites'

const isExecutableFile = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

const findOnPath = (command: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, command))
    .find(isExecutableFile)

/** What `<tool> --version` printed, or undefined when it is not on PATH or fails. */
const readVersion = (tool: string): string | undefined => {
  const result = spawnSync(tool, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  return result.status === 0 ? result.stdout : undefined
}

/**
 * The major of the PostgreSQL server the tests will use, when DATABASE_URL names one (without it
 * they start an embedded PostgreSQL 15). Unreachable: the tests will say so themselves.
 */
const readServerMajor = async (): Promise<number | undefined> => {
  const databaseUrl = process.env.DATABASE_URL?.trim()
  if (!databaseUrl) return undefined
  try {
    return await withMaintenanceClient(databaseUrl, async (client) =>
      toServerMajor((await client.query('SHOW server_version_num')).rows[0].server_version_num),
    )
  } catch {
    return undefined
  }
}

/** Where Debian's varnish-modules puts vmod xkey: /usr/lib/<architecture>/varnish/vmods. */
const hasXkeyVmod = (): boolean =>
  ['/usr/lib', ...fs.readdirSync('/usr/lib').map((entry) => path.join('/usr/lib', entry))].some(
    (dir) => fs.existsSync(path.join(dir, 'varnish', 'vmods', 'libvmod_xkey.so')),
  )

const probe = async (needed: readonly Program[]): Promise<Probes> => {
  const chromiumPath = process.env.CHROMIUM_PATH || defaultChromiumPath
  const needsPgTools = needed.includes('pg_dump') || needed.includes('pg_restore')
  return {
    chromium: {
      path: chromiumPath,
      isFromEnv: Boolean(process.env.CHROMIUM_PATH),
      isExecutable: isExecutableFile(chromiumPath),
    },
    nginx: {
      isOnPath: Boolean(findOnPath('nginx')),
      isAtDebianPath: isExecutableFile(debianNginxPath),
    },
    varnish: {
      hasVarnishd: Boolean(findOnPath('varnishd')) || isExecutableFile('/usr/sbin/varnishd'),
      hasXkeyVmod: hasXkeyVmod(),
    },
    pgDumpVersion: needed.includes('pg_dump') ? readVersion('pg_dump') : undefined,
    pgRestoreVersion: needed.includes('pg_restore') ? readVersion('pg_restore') : undefined,
    pgMajor: requiredPgMajor(needsPgTools ? await readServerMajor() : undefined),
  }
}

/** Runs apt-get; returns why it failed, or undefined. */
const installDebianPackages = (packages: readonly string[]): string | undefined => {
  console.error(`Installing Debian packages the tests need: ${packages.join(' ')}`)
  for (const [command, ...args] of aptGetInstallCommands(packages)) {
    const result = spawnSync(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    if (result.status !== 0) {
      return `${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`
    }
  }
  return undefined
}

const parseProjects = (args: readonly string[]): TestProject[] => {
  const unknown = args.filter((arg) => !testProjects.includes(arg as TestProject))
  if (unknown.length > 0) {
    throw new Error(`unknown test project(s) ${unknown.join(', ')}: use ${testProjects.join(', ')}`)
  }
  return args.length > 0 ? (args as TestProject[]) : [...testProjects]
}

const main = async () => {
  const needed = programsNeededBy(parseProjects(process.argv.slice(2)))
  let missing = findMissingPrograms(needed, await probe(needed))
  if (missing.length === 0) return
  const isRoot = process.getuid?.() === 0
  const packages = debianPackagesFor(missing)
  let installFailure: string | undefined
  if (isRoot && packages.length > 0 && findOnPath('apt-get')) {
    installFailure = installDebianPackages(packages)
    missing = findMissingPrograms(needed, await probe(needed))
    if (missing.length === 0) return
  }
  console.error(describeMissingPrograms({ missing, isRoot, installFailure }))
  process.exit(1)
}

main().catch((error: Error) => {
  console.error(`test-prerequisites: ${error.message}`)
  process.exit(1)
})
