import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  checkMigrationSafety,
  findDestructiveStatements,
  readLastReleasedMigration,
  readMigrationSource,
} from './migrationSafety'

const released = '20261101_000000_released'

/** A migration file shaped like the ones `payload migrate:create` writes. */
const migrationFile = ({
  up,
  down = 'SELECT 1;',
  extra = '',
}: {
  up: string
  down?: string
  extra?: string
}) => `import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'
${extra}
export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql\`
   ${up}\`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql\`
   ${down}\`)
}
`

let migrationDir: string

const writeMigration = (name: string, content: string) =>
  fs.writeFileSync(path.join(migrationDir, `${name}.ts`), content)

beforeEach(() => {
  migrationDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-migration-safety-'))
  // A released migration may have done anything: it is never checked again.
  writeMigration(released, migrationFile({ up: 'DROP TABLE "legacy";' }))
  fs.writeFileSync(path.join(migrationDir, 'index.ts'), 'export const migrations = []\n')
})

afterEach(() => {
  fs.rmSync(migrationDir, { recursive: true, force: true })
})

const reasonsFor = async (sql: string) =>
  (await findDestructiveStatements(sql)).map((finding) => finding.reason)

describe('findDestructiveStatements', () => {
  it.each([
    ['ALTER TABLE "items" DROP COLUMN "price";', 'drops column items.price'],
    ['DROP TABLE "public"."items" CASCADE;', 'drops a table'],
    ['DROP TYPE "public"."enum_items_status";', 'drops a type'],
    ['ALTER TABLE "items" RENAME COLUMN "price" TO "amount";', 'renames a column'],
    ['ALTER TABLE "items" RENAME TO "products";', 'renames a table'],
    [
      `ALTER TYPE "enum_items_status" RENAME VALUE 'draft' TO 'hidden';`,
      `renames enum value 'draft'`,
    ],
    [
      'ALTER TABLE "items" ALTER COLUMN "price" SET DATA TYPE integer;',
      'changes the type of column items.price',
    ],
    ['ALTER TABLE "items" ALTER COLUMN "price" SET NOT NULL;', 'makes column items.price NOT NULL'],
    [
      'ALTER TABLE "items" ADD COLUMN "sku" varchar NOT NULL;',
      'adds required column items.sku without a DEFAULT (inserts by the running release fail)',
    ],
    [
      'ALTER TABLE "items" ALTER COLUMN "sort_order" DROP DEFAULT;',
      'drops the default of column items.sort_order',
    ],
    ['TRUNCATE "items";', 'truncates a table'],
  ])('should flag %s', async (sql, reason) => {
    expect(await reasonsFor(sql)).toEqual([reason])
  })

  it.each([
    'ALTER TABLE "items" ADD COLUMN "sku" varchar;',
    `ALTER TABLE "items" ADD COLUMN "sku" varchar DEFAULT 'none' NOT NULL;`,
    'ALTER TABLE "items" ADD COLUMN "position" serial NOT NULL;',
    'CREATE TABLE "tags" ("id" serial PRIMARY KEY NOT NULL, "name" varchar NOT NULL);',
    'CREATE INDEX "items_sku_idx" ON "items" USING btree ("sku");',
    'DROP INDEX "items_sku_idx";',
    'ALTER TABLE "items" ALTER COLUMN "price" DROP NOT NULL;',
    `ALTER TABLE "items" ALTER COLUMN "sort_order" SET DEFAULT 0;`,
    `ALTER TYPE "enum_items_status" ADD VALUE 'archived';`,
    `DO $$ BEGIN
      ALTER TABLE "items" ADD CONSTRAINT "items_tag_fk" FOREIGN KEY ("tag_id") REFERENCES "tags"("id");
     EXCEPTION WHEN duplicate_object THEN null;
     END $$;`,
  ])('should allow %s', async (sql) => {
    expect(await reasonsFor(sql)).toEqual([])
  })

  it('should look inside DO blocks and report the line of the statement', async () => {
    const findings = await findDestructiveStatements(`ALTER TABLE "items" ADD COLUMN "sku" varchar;
DO $$ BEGIN
  ALTER TABLE "items" DROP COLUMN "legacy_code";
EXCEPTION WHEN undefined_column THEN null;
END $$;`)
    expect(findings).toEqual([{ reason: 'drops column items.legacy_code', line: 2 }])
  })

  it('should flag every destructive command of one ALTER TABLE', async () => {
    expect(
      await reasonsFor('ALTER TABLE "items" DROP COLUMN "a", ADD COLUMN "b" int, DROP COLUMN "c";'),
    ).toEqual(['drops column items.a', 'drops column items.c'])
  })

  it('should refuse SQL it cannot read rather than pass it', async () => {
    const [finding] = await findDestructiveStatements('ALTER TABLE "items" DRP COLUMN "price";')
    expect(finding.reason).toMatch(/^contains SQL the check cannot parse/)
  })
})

describe('readMigrationSource', () => {
  it('should read only the SQL of `up`, with its line, and the contract marker', () => {
    const source = readMigrationSource(
      migrationFile({
        up: 'ALTER TABLE "items" ADD COLUMN "sku" varchar;',
        down: 'ALTER TABLE "items" DROP COLUMN "sku";',
        extra: 'export const isContractStep = true\n',
      }),
    )
    expect(source.hasUp).toBe(true)
    expect(source.isContractStep).toBe(true)
    expect(source.checkedSql).toEqual([
      { text: '\n   ALTER TABLE "items" ADD COLUMN "sku" varchar;', line: 5 },
    ])
  })

  it('should read `sql.raw` strings and arrow-function `up` exports too', () => {
    const source = readMigrationSource(
      `export const up = async ({ db }) => { await db.execute(sql.raw('DROP TABLE "tags"')) }\n` +
        'export const isContractStep = false\n',
    )
    expect(source.isContractStep).toBe(false)
    expect(source.checkedSql.map((block) => block.text)).toEqual(['DROP TABLE "tags"'])
  })

  it('should read literal SQL given to a query function, in helpers outside `up` too', () => {
    const source = readMigrationSource(
      `const dropTags = (db) => db.execute('DROP TABLE "tags"')\n` +
        `export async function up({ db }) { await dropTags(db); await db.pool.query(\`DROP TABLE "labels"\`) }\n` +
        `export async function down({ db }) { await db.execute('DROP TABLE "items"') }\n`,
    )
    expect(source.checkedSql.map((block) => block.text)).toEqual([
      'DROP TABLE "tags"',
      'DROP TABLE "labels"',
    ])
    expect(source.computedSql).toEqual([])
  })

  it('should report SQL computed at run time instead of skipping it', () => {
    const source = readMigrationSource(
      'export async function up({ db }) {\n' +
        '  const table = "tags"\n' +
        '  await db.execute(sql.raw(`DROP TABLE ${table}`))\n' +
        '  await db.execute(statement)\n' +
        '  await db.select().from(items).execute()\n' +
        '}\n',
    )
    expect(source.checkedSql).toEqual([])
    expect(source.computedSql.map(({ line }) => line)).toEqual([3, 4])
    expect(source.computedSql[0].reason).toMatch(
      /^runs computed SQL the check cannot read \(sql\.raw/,
    )
    expect(source.computedSql[1].reason).toMatch(/\(db\.execute given something other/)
  })
})

describe('checkMigrationSafety', () => {
  it('should check only migrations newer than the last release, up only, skipping contract steps', async () => {
    writeMigration(
      '20261110_000000_add_sku',
      migrationFile({
        up: 'ALTER TABLE "items" ADD COLUMN "sku" varchar;',
        down: 'ALTER TABLE "items" DROP COLUMN "sku";',
      }),
    )
    writeMigration(
      '20261120_000000_drop_legacy_code',
      migrationFile({
        up: 'ALTER TABLE "items" DROP COLUMN "legacy_code";',
        extra:
          '\n/** The release before this one stopped reading legacy_code. */\nexport const isContractStep = true\n',
      }),
    )
    const report = await checkMigrationSafety({ migrationDir, lastReleasedMigration: released })
    expect(report).toEqual({
      lastReleasedMigration: released,
      checked: ['20261110_000000_add_sku', '20261120_000000_drop_legacy_code'],
      contractSteps: ['20261120_000000_drop_legacy_code'],
      findings: [],
    })
  })

  it('should report each unsafe statement with its migration and file line', async () => {
    writeMigration(
      '20261110_000000_rename_price',
      migrationFile({
        up: `ALTER TABLE "items" ADD COLUMN "amount" numeric;
  ALTER TABLE "items" RENAME COLUMN "price" TO "cost";`,
      }),
    )
    const { findings } = await checkMigrationSafety({
      migrationDir,
      lastReleasedMigration: released,
    })
    expect(findings).toEqual([
      { migration: '20261110_000000_rename_price', line: 6, reason: 'renames a column' },
    ])
  })

  it('should fail on a release file naming a migration that does not exist', async () => {
    await expect(
      checkMigrationSafety({ migrationDir, lastReleasedMigration: '20261101_000000_typo' }),
    ).rejects.toThrow(/"20261101_000000_typo" is not in/)
  })

  it('should read the last released migration from the release file, and reject a file without one', () => {
    const releaseFile = path.join(migrationDir, 'release.json')
    fs.writeFileSync(releaseFile, JSON.stringify({ lastReleasedMigration: released }))
    expect(readLastReleasedMigration(releaseFile)).toBe(released)
    fs.writeFileSync(releaseFile, JSON.stringify({ lastMigration: released }))
    expect(() => readLastReleasedMigration(releaseFile)).toThrow(/lastReleasedMigration/)
  })
})

// Each test starts the CLI in a process of its own, which takes a few seconds on a busy machine.
describe('npm run check:migration-safety', { timeout: 60_000 }, () => {
  const runCheck = () => {
    const releaseFile = path.join(migrationDir, 'release.json')
    fs.writeFileSync(releaseFile, JSON.stringify({ lastReleasedMigration: released }))
    return spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/check-migration-safety.ts',
        '--migrations-dir',
        migrationDir,
        '--release-file',
        releaseFile,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
  }

  it('should exit 1 naming the file, line and reason of a destructive migration', () => {
    writeMigration(
      '20261110_000000_require_sku',
      migrationFile({ up: 'ALTER TABLE "items" ADD COLUMN "sku" varchar NOT NULL;' }),
    )
    const result = runCheck()
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      '20261110_000000_require_sku.ts:5  adds required column items.sku',
    )
    expect(result.stderr).toContain('exports `const isContractStep = true`')
  })

  it('should exit 0 when every newer migration is additive', () => {
    writeMigration(
      '20261110_000000_add_sku',
      migrationFile({ up: 'ALTER TABLE "items" ADD COLUMN "sku" varchar;' }),
    )
    const result = runCheck()
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(`1 migration(s) after the last release (${released})`)
  })
})
