/**
 * The programs outside npm that the tests run, which of them a machine lacks, and what installs
 * them: the pure part of scripts/test-prerequisites.ts, which probes the machine and installs.
 */
import { oldestSupportedMajor, parsePgToolVersion } from '../src/jobs/backup/pgTools'

export type TestProject = 'unit' | 'int' | 'e2e'

export const testProjects: readonly TestProject[] = ['unit', 'int', 'e2e']

export type Program = 'chromium' | 'nginx' | 'varnishd' | 'vmod_xkey' | 'pg_dump' | 'pg_restore'

const programsByProject: Record<TestProject, readonly Program[]> = {
  unit: [],
  // The backup and drill tests run the real client tools against the test database; the edge
  // purge test puts Varnish, with the shipped VCL and its vmod xkey, in front of the app.
  int: ['varnishd', 'vmod_xkey', 'pg_dump', 'pg_restore'],
  // The browser journeys drive Chromium; the rolling-restart test puts nginx before two replicas.
  e2e: ['chromium', 'nginx'],
}

const programOrder: readonly Program[] = [
  'chromium',
  'nginx',
  'varnishd',
  'vmod_xkey',
  'pg_dump',
  'pg_restore',
]

const neededFor: Record<Program, string> = {
  chromium: 'browser tests',
  nginx: 'rolling-restart test',
  varnishd: 'edge purge test',
  vmod_xkey: 'edge purge test',
  pg_dump: 'backup and drill tests',
  pg_restore: 'backup and drill tests',
}

/** The programs a run of these vitest projects needs, each once. */
export const programsNeededBy = (projects: readonly TestProject[]): Program[] =>
  programOrder.filter((program) =>
    projects.some((project) => programsByProject[project].includes(program)),
  )

/** The default of `CHROMIUM_PATH`, as tests/helpers/browser.ts has it. */
export const defaultChromiumPath = '/usr/bin/chromium'

/** Where Debian installs nginx: on root's PATH, not always on other users'. */
export const debianNginxPath = '/usr/sbin/nginx'

/** What scripts/test-prerequisites.ts found on this machine. */
export type Probes = {
  chromium: { path: string; isFromEnv: boolean; isExecutable: boolean }
  nginx: { isOnPath: boolean; isAtDebianPath: boolean }
  /** varnishd on PATH or in /usr/sbin (the tests look there), and vmod xkey beside it. */
  varnish: { hasVarnishd: boolean; hasXkeyVmod: boolean }
  /** What `pg_dump --version` printed; undefined when it is not on PATH or failed. */
  pgDumpVersion: string | undefined
  pgRestoreVersion: string | undefined
  /** The major the client tools must have at least (`requiredPgMajor`). */
  pgMajor: number
}

/**
 * The backup refuses client tools older than the server they dump, and older than the oldest
 * major it supports at all (src/jobs/backup/pgTools.ts): the test server's major, when known.
 */
export const requiredPgMajor = (serverMajor: number | undefined): number =>
  Math.max(serverMajor ?? oldestSupportedMajor, oldestSupportedMajor)

export type MissingProgram = {
  program: Program
  /** What is wrong with it on this machine. */
  problem: string
  /** The Debian package that provides it; undefined when installing one would not help. */
  debianPackage?: string
  /** What to do when no package would help. */
  remedy?: string
}

const findChromiumProblem = ({ chromium }: Probes): MissingProgram | undefined => {
  if (chromium.isExecutable) return undefined
  if (chromium.isFromEnv) {
    // The package installs /usr/bin/chromium, which the tests would not use.
    return {
      program: 'chromium',
      problem: `CHROMIUM_PATH is ${chromium.path}, which is not an executable file`,
      remedy: `point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use ${defaultChromiumPath}`,
    }
  }
  return {
    program: 'chromium',
    problem: `not found at ${chromium.path}`,
    debianPackage: 'chromium',
  }
}

const findNginxProblem = ({ nginx }: Probes): MissingProgram | undefined => {
  if (nginx.isOnPath) return undefined
  if (nginx.isAtDebianPath) {
    return {
      program: 'nginx',
      problem: `installed at ${debianNginxPath} but not on PATH`,
      remedy: `add ${debianNginxPath.replace(/\/nginx$/, '')} to PATH`,
    }
  }
  return { program: 'nginx', problem: 'not on PATH', debianPackage: 'nginx' }
}

const findPgToolProblem = (
  program: 'pg_dump' | 'pg_restore',
  versionOutput: string | undefined,
  pgMajor: number,
): MissingProgram | undefined => {
  const debianPackage = `postgresql-client-${pgMajor}`
  if (versionOutput === undefined) {
    return { program, problem: 'not on PATH (or it does not run)', debianPackage }
  }
  const version = parsePgToolVersion(versionOutput)
  if (!version) {
    return {
      program,
      problem: `"${program} --version" printed "${versionOutput.trim()}", not a PostgreSQL version`,
      debianPackage,
    }
  }
  if (version.major >= pgMajor) return undefined
  return {
    program,
    problem: `"${version.text}" on PATH is too old (${pgMajor} or newer is needed)`,
    debianPackage,
  }
}

/** The needed programs this machine lacks or cannot use, in the order of `programOrder`. */
export const findMissingPrograms = (
  needed: readonly Program[],
  probes: Probes,
): MissingProgram[] => {
  const problemOf: Record<Program, () => MissingProgram | undefined> = {
    chromium: () => findChromiumProblem(probes),
    nginx: () => findNginxProblem(probes),
    varnishd: () =>
      probes.varnish.hasVarnishd
        ? undefined
        : {
            program: 'varnishd',
            problem: 'not on PATH nor in /usr/sbin',
            debianPackage: 'varnish',
          },
    vmod_xkey: () =>
      probes.varnish.hasXkeyVmod
        ? undefined
        : {
            program: 'vmod_xkey',
            problem: "libvmod_xkey.so is not among Varnish's vmods",
            debianPackage: 'varnish-modules',
          },
    pg_dump: () => findPgToolProblem('pg_dump', probes.pgDumpVersion, probes.pgMajor),
    pg_restore: () => findPgToolProblem('pg_restore', probes.pgRestoreVersion, probes.pgMajor),
  }
  return programOrder
    .filter((program) => needed.includes(program))
    .map((program) => problemOf[program]())
    .filter((missing): missing is MissingProgram => missing !== undefined)
}

/** The Debian packages that would provide the missing programs, each once. */
export const debianPackagesFor = (missing: readonly MissingProgram[]): string[] => [
  ...new Set(missing.flatMap(({ debianPackage }) => (debianPackage ? [debianPackage] : []))),
]

const aptGetOptions = ['-o', 'Acquire::Retries=3'] as const

/**
 * The commands (argv) that install the packages as root, non-interactively: a network error on a
 * download gets three more tries before the run counts as failed.
 */
export const aptGetInstallCommands = (packages: readonly string[]): string[][] => [
  ['apt-get', ...aptGetOptions, 'update', '-qq'],
  ['apt-get', ...aptGetOptions, 'install', '-y', '-qq', ...packages],
]

/** The command a person runs to install the packages. */
export const installCommandLine = (packages: readonly string[], isRoot: boolean): string => {
  const sudo = isRoot ? '' : 'sudo '
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`
}

type DescribeArgs = {
  missing: readonly MissingProgram[]
  isRoot: boolean
  /** Why installing them did not work, when it was tried. */
  installFailure?: string
}

/** One message: every missing program, why, and what installs it. */
export const describeMissingPrograms = ({
  missing,
  isRoot,
  installFailure,
}: DescribeArgs): string => {
  const count = missing.length === 1 ? '1 program' : `${missing.length} programs`
  const lines = [
    `The tests cannot run: ${count} they need ${missing.length === 1 ? 'is' : 'are'} missing.`,
  ]
  for (const { program, problem, debianPackage, remedy } of missing) {
    const fix = debianPackage ? `Debian package ${debianPackage}` : remedy
    lines.push(`  - ${program} (${neededFor[program]}): ${problem}; ${fix}`)
  }
  if (installFailure) lines.push(`Installing them failed: ${installFailure}`)
  const packages = debianPackagesFor(missing)
  if (packages.length > 0) {
    lines.push(`Install with (Debian or Ubuntu): ${installCommandLine(packages, isRoot)}`)
  }
  return lines.join('\n')
}
