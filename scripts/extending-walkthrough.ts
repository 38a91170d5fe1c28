/**
 * `npm run check:extending`: performs docs/EXTENDING.md's "Add a collection" walk-through on a
 * copy of this working tree, then runs on the result what CI runs, so the docs and the code that
 * a new collection touches cannot drift apart unnoticed.
 *
 * - The copy holds the tracked and untracked-but-not-ignored files (`git ls-files -co
 *   --exclude-standard`), so uncommitted edits are checked too, and none of `.next`, `dist` or
 *   `.data`: the build starts cold and nothing shares the checkout's data or embedded PostgreSQL.
 *   `node_modules` is a hard-link copy (`cp -al`) without its caches. The copy is committed in a
 *   git repository of its own first, as a developer's checkout is before the change.
 * - The edits and commands come from the docs themselves (scripts/extendingWalkthrough.ts): each
 *   `ts` block is applied to the file its title names, each line of the `bash` block is run.
 * - The copy's commands get a scratch database on the server in DATABASE_URL (an embedded
 *   PostgreSQL without it), which they reach as a role made for the run: what they create there
 *   (the integration tests make a database of their own) is dropped with it, even after a step
 *   was stopped (scripts/walkthroughDatabase.ts). They get none of the app's variables from this
 *   environment, so they test the defaults rather than this machine's settings.
 * - Integration tests: not all of them (that would double CI's time), only those whose outcome
 *   depends on the set of collections, fields or migrations, plus the new ones the docs add:
 *   the access matrix and the rich-text guard (they iterate over every collection of the config),
 *   collections (the Local API of items, which gained a relationship) and backup (it once named
 *   the newest migration, and dumps every table). Left out: drill (five minutes; it restores what
 *   backup dumps and counts each collection with code that iterates over the config) and
 *   migration lock (a minute; the `npm run migrate` steps here already apply the new migration
 *   under the lock). The whole integration suite passed on a copy after this walk-through when
 *   this was written, and `npm test` runs all of it on the real tree.
 * - `npm run build` last: `next build` type-checks the app, and the server bundle is built from it.
 *
 * Each step prints its name and time; the first failure prints the step's output and what to
 * fix, and stops. The copy, its commands' TMPDIR and the databases are removed in every case (also
 * on Ctrl-C or SIGTERM: the running command is stopped first), unless `--keep` is given: then the
 * copy and the databases are left for a look, and where they are is printed.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { envSchema } from '../src/config/env'
import { runJobSteps, type JobStep } from '../src/jobs/jobSteps'
import { runScript } from '../src/jobs/runScript'
import { makeSharedTempDir } from '../tests/setup/testDatabase'
import { applySnippet, planWalkthrough, type WalkthroughPlan } from './extendingWalkthrough'
import { createWalkthroughDatabase, type WalkthroughDatabase } from './walkthroughDatabase'

const sourceRoot = fileURLToPath(new URL('..', import.meta.url))
const docsFile = 'docs/EXTENDING.md'
const stepTimeoutMs = 20 * 60_000
const outputLinesShown = 200

const integrationTests = [
  'tests/int/accessMatrix.int.spec.ts',
  'tests/int/richText.int.spec.ts',
  'tests/int/collections.int.spec.ts',
  'tests/int/backup.int.spec.ts',
]

const { values: options } = parseArgs({ options: { keep: { type: 'boolean', default: false } } })

type Walkthrough = {
  plan?: WalkthroughPlan
  /** Holds the copy and the temporary directory of its commands; removed as a whole. */
  workDir?: string
  copyDir?: string
  database?: WalkthroughDatabase
  /** The environment of every command run in the copy. */
  env?: NodeJS.ProcessEnv
}

type WalkthroughStep = JobStep<Walkthrough> & {
  /** What to look at when the step fails. */
  fix: string
}

/** A failed command, with what it printed. */
class CommandFailure extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message)
  }
}

let interruption: NodeJS.Signals | undefined
let runningCommand: ReturnType<typeof spawn> | undefined

const signalCommandGroup = (signal: NodeJS.Signals) => {
  const pid = runningCommand?.pid
  if (!pid) return
  try {
    // The command runs in a process group of its own (`detached`): npm, tsx, next, vitest workers.
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/**
 * Asks the running command to stop, so vitest can drop its test database, and kills whatever is
 * left of it (a hung worker) 10 s later.
 */
const stopRunningCommand = (signal: NodeJS.Signals) => {
  signalCommandGroup(signal)
  setTimeout(() => signalCommandGroup('SIGKILL'), 10_000).unref()
}

const runCommand = (argv: string[], { copyDir, env }: Walkthrough): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: copyDir,
      env,
      detached: true,
      // No prompt may wait for an answer: a question from `migrate:create` fails the step.
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    runningCommand = child
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
    const timeout = setTimeout(() => {
      chunks.push(Buffer.from(`\n[timed out after ${stepTimeoutMs / 60_000} minutes]\n`))
      stopRunningCommand('SIGTERM')
    }, stepTimeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timeout)
      runningCommand = undefined
      const output = Buffer.concat(chunks).toString('utf8')
      if (code === 0) resolve()
      else reject(new CommandFailure(`exited with ${code ?? signal}`, output))
    })
  })

/**
 * The environment of the copy: this one without the app's variables, on the scratch database, with
 * a temporary directory of its own. A test run stopped by a signal skips its teardown and leaves
 * its media and S3 directories in TMPDIR; there they go with the copy.
 */
const walkthroughEnv = ({ databaseUrl, tmpDir }: { databaseUrl: string; tmpDir: string }) => {
  const env = { ...process.env }
  // Read before the environment is parsed (src/config/localDefaults.ts), so not in the schema.
  for (const name of [
    ...Object.keys(envSchema.shape),
    'LOCAL_DATA_DIR',
    'EMBEDDED_POSTGRES_PORT',
  ]) {
    delete env[name]
  }
  return { ...env, DATABASE_URL: databaseUrl, TMPDIR: tmpDir, NEXT_TELEMETRY_DISABLED: '1' }
}

const git = (args: string[], cwd: string): string =>
  spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout ?? ''

const copyWorkingTree = (copyDir: string): string => {
  const files = new Set(
    git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], sourceRoot)
      .split('\0')
      .filter(Boolean),
  )
  if (files.size === 0) throw new Error(`git lists no files in ${sourceRoot}: is it a checkout?`)
  let copied = 0
  for (const file of files) {
    const from = path.join(sourceRoot, file)
    const to = path.join(copyDir, file)
    const stats = fs.lstatSync(from, { throwIfNoEntry: false })
    // Tracked but deleted in the working tree: deleted in the copy too.
    if (!stats?.isFile() && !stats?.isSymbolicLink()) continue
    fs.mkdirSync(path.dirname(to), { recursive: true })
    if (stats.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to)
    else fs.copyFileSync(from, to)
    copied++
  }
  return `${copied} files`
}

const linkNodeModules = (copyDir: string): string => {
  const from = path.join(sourceRoot, 'node_modules')
  const to = path.join(copyDir, 'node_modules')
  if (!fs.existsSync(from)) throw new Error('node_modules is missing: run npm ci first')
  let how = 'hard links'
  if (spawnSync('cp', ['-al', from, to]).status !== 0) {
    // Hard links cannot cross file systems (a separate /tmp): copy instead, slower.
    fs.rmSync(to, { recursive: true, force: true })
    how = 'a full copy'
    if (spawnSync('cp', ['-a', from, to]).status !== 0)
      throw new Error('copying node_modules failed')
  }
  // Vite and others rewrite their cache files in place, which through a hard link would be the
  // checkout's file: the copy starts without them.
  for (const cache of ['.cache', '.vite', '.vite-temp']) {
    fs.rmSync(path.join(to, cache), { recursive: true, force: true })
  }
  return `node_modules as ${how}`
}

const commitCopy = (copyDir: string) => {
  const run = (args: string[]) => {
    const result = spawnSync('git', args, { cwd: copyDir, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  }
  run(['init', '--quiet'])
  run(['add', '--all'])
  run([
    ...['-c', 'user.name=check:extending', '-c', 'user.email=check-extending@localhost'],
    ...['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify'],
    ...['-m', 'The working tree before the walk-through'],
  ])
}

const applyEdits = ({ plan, copyDir }: Walkthrough): string => {
  for (const edit of plan!.edits) {
    const file = path.join(copyDir!, edit.file)
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, applySnippet({ edit, existing }))
  }
  return `wrote ${plan!.edits.map(({ file }) => file).join(', ')}`
}

const afterEditsFix =
  `If the error is in a file the walk-through wrote (listed above), the docs' snippet or command is wrong: fix ${docsFile}. ` +
  'Otherwise code or a test assumes a fixed set of collections or migrations: make it derive them from the config. ' +
  'When the same command fails in your checkout as well, the problem is not the walk-through. ' +
  'Re-run with `npm run check:extending -- --keep` to look at the copy.'

const commandStep = (argv: string[], fix: string, name = argv.join(' ')): WalkthroughStep => ({
  name,
  fix,
  run: (context) => runCommand(argv, context),
})

/** The commands EXTENDING.md tells the developer to run after the edits. */
const docsCommandSteps = (plan: WalkthroughPlan): WalkthroughStep[] =>
  plan.commands.map((argv) =>
    commandStep(
      argv,
      `A command of ${docsFile}'s "Add a collection" fails: fix it or the step before it there.`,
    ),
  )

const setupSteps: WalkthroughStep[] = [
  {
    name: `Read the walk-through from ${docsFile}`,
    fix: `Keep the section's ts blocks titled with their file (\`\`\`ts title="collections/slugs.ts") and its commands in one bash block; a snippet for another existing file needs a rule in scripts/extendingWalkthrough.ts.`,
    run: async (context) => {
      context.plan = planWalkthrough(fs.readFileSync(path.join(sourceRoot, docsFile), 'utf8'))
      return `${context.plan.edits.length} edits, ${context.plan.commands.length} commands`
    },
  },
  {
    name: 'Copy the working tree',
    fix: 'Run it in a git checkout with node_modules installed (npm ci), and room in the temporary directory.',
    run: async (context) => {
      context.workDir = makeSharedTempDir('catalog-extending-')
      // The commands' TMPDIR goes beside the tree, not in it, where `eslint .` would read it.
      context.copyDir = path.join(context.workDir, 'catalog-cms')
      const tmpDir = path.join(context.workDir, 'tmp')
      fs.mkdirSync(tmpDir)
      fs.chmodSync(tmpDir, 0o1777)
      const copied = copyWorkingTree(context.copyDir)
      const linked = linkNodeModules(context.copyDir)
      commitCopy(context.copyDir)
      return `${copied} and ${linked} in ${context.copyDir}, committed`
    },
  },
  {
    name: 'Create a scratch database',
    fix: 'Set DATABASE_URL to a PostgreSQL server where databases may be created, or unset it for an embedded one.',
    run: async (context) => {
      context.database = await createWalkthroughDatabase('extending')
      context.env = walkthroughEnv({
        databaseUrl: context.database.url,
        tmpDir: path.join(context.workDir!, 'tmp'),
      })
      const { kind, url, caveat } = context.database
      const owner = context.database.role ? ', owned by a role of its own' : ''
      return `${kind}: ${new URL(url).pathname.slice(1)}${owner}${caveat ? `; ${caveat}` : ''}`
    },
  },
  commandStep(
    ['npm', 'run', 'migrate'],
    'The committed migrations do not apply to an empty database: `npm run check:migrations` in your checkout says more.',
    'npm run migrate (the database as it is before the change)',
  ),
]

const editSteps = (plan: WalkthroughPlan): WalkthroughStep[] => [
  {
    name: `Apply ${docsFile}'s edits`,
    fix: `Where a snippet goes is in scripts/extendingWalkthrough.ts (snippetRules): when a file it edits changed shape, update the rule, or the snippet in ${docsFile}.`,
    run: async (context) => applyEdits(context),
  },
  ...docsCommandSteps(plan),
  // What `npm run dev` does on its next start, and production's migrate: the new migration on a
  // database that has the earlier ones (check:migrations starts from an empty one).
  commandStep(
    ['npm', 'run', 'migrate'],
    `The new migration does not apply to a database that has the earlier ones. ${afterEditsFix}`,
    'npm run migrate (the new migration on that database)',
  ),
]

const checkSteps = (plan: WalkthroughPlan): WalkthroughStep[] => {
  const newTests = plan.edits
    .map(({ file }) => file)
    .filter((file) => /^tests\/int\/.+\.int\.spec\.ts$/.test(file))
  return [
    ...['typecheck', 'lint', 'check:migrations', 'check:migration-safety', 'check:generated'].map(
      (script) => commandStep(['npm', 'run', script], afterEditsFix),
    ),
    commandStep(['npm', 'run', 'test:unit'], afterEditsFix),
    commandStep(
      ['npm', 'run', 'test:int', '--', ...integrationTests, ...newTests],
      afterEditsFix,
      `npm run test:int -- (${integrationTests.length + newTests.length} files, ${newTests.length} of them from the docs)`,
    ),
    commandStep(['npm', 'run', 'build'], afterEditsFix),
  ]
}

const cleanupSteps: WalkthroughStep[] = [
  {
    name: 'Drop the scratch database and those the copy made',
    isCleanup: true,
    fix: 'Drop the databases owned by the role named above, then the role, by hand.',
    run: async ({ database }) => {
      if (!database) return 'none was created'
      if (options.keep) return `kept: DATABASE_URL=${database.url}`
      await database.dispose()
    },
  },
  {
    name: 'Remove the copy',
    isCleanup: true,
    fix: 'Remove the directory named above by hand.',
    run: async ({ workDir, copyDir }) => {
      if (!workDir) return 'none was made'
      if (options.keep) return `kept: ${copyDir}`
      fs.rmSync(workDir, { recursive: true, force: true })
    },
  },
]

const formatSeconds = (seconds: number) => `${seconds.toFixed(1)} s`

const lastLines = (output: string) => {
  const lines = output.trimEnd().split('\n')
  if (lines.length <= outputLinesShown) return lines.join('\n')
  const omitted = lines.length - outputLinesShown
  return [`[… ${omitted} earlier lines]`, ...lines.slice(-outputLinesShown)].join('\n')
}

/** Runs the steps; the runner in src/jobs/jobSteps.ts stops at the first failure but cleans up. */
const runSteps = async (steps: WalkthroughStep[], context: Walkthrough) => {
  const timings: string[] = []
  let hasFailed = false
  await runJobSteps({
    steps: steps.map((step) => ({
      ...step,
      run: (walkthrough: Walkthrough) => {
        if (interruption && !step.isCleanup) throw new Error(`stopped by ${interruption}`)
        console.log(`--> ${step.name}`)
        return step.run(walkthrough)
      },
    })),
    context,
    onStep: (step, outcome) => {
      if (outcome.status === 'skipped') return
      const time = formatSeconds(outcome.seconds)
      timings.push(`${time.padStart(8)}  ${step.name}`)
      if (outcome.status === 'passed') {
        console.log(`    ok (${time})${outcome.detail ? `: ${outcome.detail}` : ''}`)
        return
      }
      hasFailed = true
      if (interruption && !step.isCleanup) {
        console.error(`    stopped by ${interruption} (${time})`)
        return
      }
      const { error } = outcome
      const message = error instanceof Error ? error.message : String(error)
      console.error(`    FAILED (${time}): ${message}`)
      if (error instanceof CommandFailure) console.error(`\n${lastLines(error.output)}\n`)
      console.error(`    What to fix: ${step.fix}`)
    },
  })
  return { hasFailed, timings }
}

const main = async () => {
  const startedAt = performance.now()
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruption) return
    interruption = signal
    console.error(`\n${signal}: stopping the running step, then cleaning up`)
    stopRunningCommand(signal)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const context: Walkthrough = {}
  // The edit and check steps come from the plan the first step reads: they are made once it ran.
  const setup = await runSteps(setupSteps, context)
  const rest =
    setup.hasFailed || !context.plan
      ? { hasFailed: setup.hasFailed, timings: [] }
      : await runSteps([...editSteps(context.plan), ...checkSteps(context.plan)], context)
  const cleanup = await runSteps(cleanupSteps, context)

  const total = formatSeconds((performance.now() - startedAt) / 1000)
  const hasFailed = setup.hasFailed || rest.hasFailed || cleanup.hasFailed
  console.log(
    `\nStep times:\n${[...setup.timings, ...rest.timings, ...cleanup.timings].join('\n')}`,
  )
  console.log(
    `\ncheck:extending ${hasFailed || interruption ? 'FAILED' : 'passed'} in ${total}: ${docsFile}'s "Add a collection" on a copy of the working tree.`,
  )
  process.exit(interruption ? 130 : hasFailed ? 1 : 0)
}

runScript('check:extending', main)
