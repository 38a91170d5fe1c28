import { describe, expect, it } from 'vitest'

import {
  aptGetInstallCommands,
  debianPackagesFor,
  describeMissingPrograms,
  findMissingPrograms,
  installCommandLine,
  programsNeededBy,
  requiredPgMajor,
  type Probes,
} from './testPrerequisites'

const pgDump15 = 'pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n'
const pgRestore15 = 'pg_restore (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n'

/** A machine with everything the tests need. */
const completeMachine: Probes = {
  chromium: { path: '/usr/bin/chromium', isFromEnv: false, isExecutable: true },
  nginx: { isOnPath: true, isAtDebianPath: true },
  varnish: { hasVarnishd: true, hasXkeyVmod: true },
  pgDumpVersion: pgDump15,
  pgRestoreVersion: pgRestore15,
  pgMajor: 15,
}

/** A fresh Debian machine: none of them. */
const freshMachine: Probes = {
  chromium: { path: '/usr/bin/chromium', isFromEnv: false, isExecutable: false },
  nginx: { isOnPath: false, isAtDebianPath: false },
  varnish: { hasVarnishd: false, hasXkeyVmod: false },
  pgDumpVersion: undefined,
  pgRestoreVersion: undefined,
  pgMajor: 15,
}

const allPrograms = programsNeededBy(['unit', 'int', 'e2e'])

describe('programsNeededBy', () => {
  it('should need nothing for the unit tests', () => {
    expect(programsNeededBy(['unit'])).toEqual([])
  })

  it('should need Varnish with vmod xkey and the PostgreSQL client tools for the integration tests only', () => {
    expect(programsNeededBy(['int'])).toEqual(['varnishd', 'vmod_xkey', 'pg_dump', 'pg_restore'])
  })

  it('should need Chromium and nginx for the browser tests', () => {
    expect(programsNeededBy(['e2e'])).toEqual(['chromium', 'nginx'])
  })

  it('should need each program once for a whole run', () => {
    expect(allPrograms).toEqual([
      'chromium',
      'nginx',
      'varnishd',
      'vmod_xkey',
      'pg_dump',
      'pg_restore',
    ])
    expect(programsNeededBy(['e2e', 'int', 'e2e'])).toEqual(allPrograms)
  })
})

describe('requiredPgMajor', () => {
  it('should be the server major when it is newer than the oldest supported', () => {
    expect(requiredPgMajor(17)).toBe(17)
  })

  it('should be at least 15, the embedded default, when the server is unknown or older', () => {
    expect(requiredPgMajor(undefined)).toBe(15)
    expect(requiredPgMajor(13)).toBe(15)
  })
})

describe('findMissingPrograms', () => {
  it('should find nothing missing on a complete machine', () => {
    expect(findMissingPrograms(allPrograms, completeMachine)).toEqual([])
  })

  it('should find every program missing on a fresh machine, each with its Debian package', () => {
    expect(findMissingPrograms(allPrograms, freshMachine)).toEqual([
      { program: 'chromium', problem: 'not found at /usr/bin/chromium', debianPackage: 'chromium' },
      { program: 'nginx', problem: 'not on PATH', debianPackage: 'nginx' },
      { program: 'varnishd', problem: 'not on PATH nor in /usr/sbin', debianPackage: 'varnish' },
      {
        program: 'vmod_xkey',
        problem: "libvmod_xkey.so is not among Varnish's vmods",
        debianPackage: 'varnish-modules',
      },
      {
        program: 'pg_dump',
        problem: 'not on PATH (or it does not run)',
        debianPackage: 'postgresql-client-15',
      },
      {
        program: 'pg_restore',
        problem: 'not on PATH (or it does not run)',
        debianPackage: 'postgresql-client-15',
      },
    ])
  })

  it('should not ask the unit tests for anything, even on a fresh machine', () => {
    expect(findMissingPrograms(programsNeededBy(['unit']), freshMachine)).toEqual([])
  })

  it('should only report what the chosen projects need', () => {
    const missing = findMissingPrograms(programsNeededBy(['int']), freshMachine)
    expect(missing.map(({ program }) => program)).toEqual([
      'varnishd',
      'vmod_xkey',
      'pg_dump',
      'pg_restore',
    ])
  })

  it('should report a pg_dump older than the required major, with the package of that major', () => {
    const missing = findMissingPrograms(['pg_dump'], {
      ...completeMachine,
      pgDumpVersion: 'pg_dump (PostgreSQL) 13.9\n',
    })
    expect(missing).toEqual([
      {
        program: 'pg_dump',
        problem: '"pg_dump (PostgreSQL) 13.9" on PATH is too old (15 or newer is needed)',
        debianPackage: 'postgresql-client-15',
      },
    ])
  })

  it('should ask for the client tools of a newer test server', () => {
    const missing = findMissingPrograms(['pg_dump', 'pg_restore'], {
      ...completeMachine,
      pgMajor: 17,
    })
    expect(missing.map(({ debianPackage }) => debianPackage)).toEqual([
      'postgresql-client-17',
      'postgresql-client-17',
    ])
  })

  it('should not take a program that prints no PostgreSQL version for pg_restore', () => {
    const [missing] = findMissingPrograms(['pg_restore'], {
      ...completeMachine,
      pgRestoreVersion: 'something else 1.0',
    })
    expect(missing.problem).toMatch(/printed "something else 1.0", not a PostgreSQL version/)
    expect(missing.debianPackage).toBe('postgresql-client-15')
  })

  it('should not offer a package for a CHROMIUM_PATH that points at nothing', () => {
    const [missing] = findMissingPrograms(['chromium'], {
      ...completeMachine,
      chromium: { path: '/opt/chrome/chrome', isFromEnv: true, isExecutable: false },
    })
    expect(missing.problem).toBe(
      'CHROMIUM_PATH is /opt/chrome/chrome, which is not an executable file',
    )
    expect(missing.debianPackage).toBeUndefined()
    expect(missing.remedy).toMatch(/point CHROMIUM_PATH at a Chromium/)
  })

  it('should accept a Chromium at CHROMIUM_PATH', () => {
    const machine: Probes = {
      ...completeMachine,
      chromium: { path: '/opt/chrome/chrome', isFromEnv: true, isExecutable: true },
    }
    expect(findMissingPrograms(['chromium'], machine)).toEqual([])
  })

  it('should ask to extend PATH, not to install, when nginx is only in /usr/sbin', () => {
    const [missing] = findMissingPrograms(['nginx'], {
      ...completeMachine,
      nginx: { isOnPath: false, isAtDebianPath: true },
    })
    expect(missing.debianPackage).toBeUndefined()
    expect(missing.remedy).toBe('add /usr/sbin to PATH')
  })
})

describe('debianPackagesFor', () => {
  it('should list each package once and leave out what no package fixes', () => {
    const missing = findMissingPrograms(allPrograms, {
      ...freshMachine,
      chromium: { path: '/opt/chrome/chrome', isFromEnv: true, isExecutable: false },
    })
    expect(debianPackagesFor(missing)).toEqual([
      'nginx',
      'varnish',
      'varnish-modules',
      'postgresql-client-15',
    ])
  })
})

describe('aptGetInstallCommands', () => {
  it('should update the package lists, then install without questions, retrying downloads', () => {
    expect(aptGetInstallCommands(['chromium', 'nginx'])).toEqual([
      ['apt-get', '-o', 'Acquire::Retries=3', 'update', '-qq'],
      ['apt-get', '-o', 'Acquire::Retries=3', 'install', '-y', '-qq', 'chromium', 'nginx'],
    ])
  })
})

describe('installCommandLine', () => {
  it('should prefix sudo for a user who is not root', () => {
    expect(installCommandLine(['nginx'], false)).toBe(
      'sudo apt-get update && sudo apt-get install -y nginx',
    )
    expect(installCommandLine(['nginx'], true)).toBe('apt-get update && apt-get install -y nginx')
  })
})

describe('describeMissingPrograms', () => {
  it('should name every missing program and the one command that installs them all', () => {
    const message = describeMissingPrograms({
      missing: findMissingPrograms(allPrograms, freshMachine),
      isRoot: false,
    })
    expect(message.split('\n')).toEqual([
      'The tests cannot run: 6 programs they need are missing.',
      '  - chromium (browser tests): not found at /usr/bin/chromium; Debian package chromium',
      '  - nginx (rolling-restart test): not on PATH; Debian package nginx',
      '  - varnishd (edge purge test): not on PATH nor in /usr/sbin; Debian package varnish',
      "  - vmod_xkey (edge purge test): libvmod_xkey.so is not among Varnish's vmods; Debian package varnish-modules",
      '  - pg_dump (backup and drill tests): not on PATH (or it does not run); Debian package postgresql-client-15',
      '  - pg_restore (backup and drill tests): not on PATH (or it does not run); Debian package postgresql-client-15',
      'Install with (Debian or Ubuntu): sudo apt-get update && sudo apt-get install -y chromium nginx varnish varnish-modules postgresql-client-15',
    ])
  })

  it('should say why installing failed, and give the remedy where no package helps', () => {
    const message = describeMissingPrograms({
      missing: findMissingPrograms(['chromium', 'nginx'], {
        ...freshMachine,
        chromium: { path: '/opt/chrome/chrome', isFromEnv: true, isExecutable: false },
      }),
      isRoot: true,
      installFailure: 'apt-get -o Acquire::Retries=3 update -qq exited with 100',
    })
    expect(message.split('\n')).toEqual([
      'The tests cannot run: 2 programs they need are missing.',
      '  - chromium (browser tests): CHROMIUM_PATH is /opt/chrome/chrome, which is not an executable file; point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium',
      '  - nginx (rolling-restart test): not on PATH; Debian package nginx',
      'Installing them failed: apt-get -o Acquire::Retries=3 update -qq exited with 100',
      'Install with (Debian or Ubuntu): apt-get update && apt-get install -y nginx',
    ])
  })

  it('should speak of one program in the singular', () => {
    const message = describeMissingPrograms({
      missing: findMissingPrograms(['nginx'], freshMachine),
      isRoot: true,
    })
    expect(message).toMatch(/^The tests cannot run: 1 program they need is missing\.\n/)
  })
})
