import fs from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import {
  addImports,
  appendToList,
  applySnippet,
  findClosingBracket,
  hasSnippetRule,
  parseFencedBlocks,
  planWalkthrough,
  walkthroughSection,
} from './extendingWalkthrough'

const projectRoot = path.resolve(import.meta.dirname, '..')
const readProjectFile = (file: string) => fs.readFileSync(path.join(projectRoot, file), 'utf8')

const fence = '```'

/** A section shaped like EXTENDING.md's: blocks indented inside a numbered list. */
const docs = (body: string) => `# Extending

## Add a field

${fence}ts
ignored: true
${fence}

## ${walkthroughSection}

${body}

## Something else
`

describe('parseFencedBlocks', () => {
  it('should read each block with its section, title and line, without the list indentation', () => {
    const blocks = parseFencedBlocks(
      docs(`1. **Slug.**

   ${fence}ts title="collections/slugs.ts"
   brands: {
     nested: true,
   },
   ${fence}`),
    )
    expect(blocks).toEqual([
      { section: 'Add a field', language: 'ts', title: undefined, code: 'ignored: true', line: 5 },
      {
        section: walkthroughSection,
        language: 'ts',
        title: 'collections/slugs.ts',
        code: 'brands: {\n  nested: true,\n},',
        line: 13,
      },
    ])
  })

  it('should not take a heading inside a code block for a section', () => {
    const blocks = parseFencedBlocks(
      `## One\n\n${fence}md\n## Two\n${fence}\n\n${fence}sh\nls\n${fence}`,
    )
    expect(blocks.map(({ section }) => section)).toEqual(['One', 'One'])
  })

  it('should refuse a block that is never closed', () => {
    expect(() => parseFencedBlocks(`## One\n\n${fence}ts\nconst a = 1\n`)).toThrow(
      'line 3: a code block is never closed',
    )
  })
})

describe('planWalkthrough', () => {
  it("should take the edits and commands of EXTENDING.md's section, in the docs' order", () => {
    const plan = planWalkthrough(
      docs(`${fence}ts title="collections/Brands.ts"
export const Brands = {}
${fence}

${fence}bash
# comments are skipped
npm run migrate:create -- add_brands

npm run generate:types
${fence}`),
    )
    expect(plan).toEqual({
      edits: [{ file: 'collections/Brands.ts', snippet: 'export const Brands = {}', line: 11 }],
      commands: [
        ['npm', 'run', 'migrate:create', '--', 'add_brands'],
        ['npm', 'run', 'generate:types'],
      ],
    })
  })

  it('should refuse a code block without a title, naming its line', () => {
    expect(() =>
      planWalkthrough(docs(`${fence}ts\nconst a = 1\n${fence}\n\n${fence}bash\nls\n${fence}`)),
    ).toThrow('line 11: a ts block has no title="<file>"')
  })

  it('should refuse shell syntax, which it does not run through a shell', () => {
    expect(() =>
      planWalkthrough(
        docs(
          `${fence}ts title="a.ts"\nx\n${fence}\n\n${fence}bash\nnpm run a && npm run b\n${fence}`,
        ),
      ),
    ).toThrow('"npm run a && npm run b": one plain command per line, without shell syntax')
  })

  it('should say so when the section is gone or has no commands', () => {
    expect(() => planWalkthrough('# Extending\n\n## Add a field\n')).toThrow(
      `found no code blocks under "## ${walkthroughSection}"`,
    )
    expect(() => planWalkthrough(docs(`${fence}ts title="a.ts"\nx\n${fence}`))).toThrow(
      'needs titled ts blocks and a bash block',
    )
  })
})

describe('findClosingBracket', () => {
  it('should skip brackets in strings, template literals and comments', () => {
    const source = `[']', "[", \`}\`, // ]\n /* ] */ { a: [1] }] after`
    expect(source.slice(findClosingBracket(source, 0))).toBe('] after')
  })

  it('should refuse a bracket that is never closed', () => {
    expect(() => findClosingBracket('x = [1, 2', 4)).toThrow('never closed')
  })
})

describe('appendToList', () => {
  it('should append one element per line, indented like the list, with a trailing comma', () => {
    const source = 'const config = {\n  fields: [\n    a,\n    b\n  ],\n}\n'
    expect(appendToList({ source, opener: 'fields: [', item: '{\n  name: "c",\n},' })).toBe(
      'const config = {\n  fields: [\n    a,\n    b,\n    {\n      name: "c",\n    },\n  ],\n}\n',
    )
  })

  it('should append to a one-line list on the same line', () => {
    expect(appendToList({ source: 'x = [A, B]', opener: 'x = [', item: 'C' })).toBe('x = [A, B, C]')
    expect(appendToList({ source: 'x = []', opener: 'x = [', item: 'C,' })).toBe('x = [C]')
  })

  it('should refuse an opener that is missing or ambiguous', () => {
    expect(() => appendToList({ source: 'y = []', opener: 'x = [', item: 'C' })).toThrow(
      'cannot find `x = [`',
    )
    expect(() => appendToList({ source: 'x = [], x = []', opener: 'x = [', item: 'C' })).toThrow(
      'occurs twice',
    )
  })
})

describe('addImports', () => {
  it('should add the imports after the last one, multi-line imports included, and name them', () => {
    const source = "import a from 'a'\nimport {\n  b,\n} from 'b'\n\nconst c = 1\n"
    expect(addImports(source, "import { Brands, Logos } from './collections/Brands'")).toEqual({
      source:
        "import a from 'a'\nimport {\n  b,\n} from 'b'\nimport { Brands, Logos } from './collections/Brands'\n\nconst c = 1\n",
      names: ['Brands', 'Logos'],
    })
  })

  it('should refuse what it cannot read the names of', () => {
    expect(() => addImports('', "import Brands from './Brands'")).toThrow(
      'is not a single-line named import',
    )
  })
})

describe('applySnippet', () => {
  it('should create a new file from the snippet', () => {
    const edit = { file: 'collections/Brands.ts', snippet: 'export const Brands = {}\n\n', line: 3 }
    expect(applySnippet({ edit, existing: undefined })).toBe('export const Brands = {}\n')
  })

  it('should refuse a snippet for an existing file it has no rule for, or a ruled file that is gone', () => {
    const edit = { file: 'README.md', snippet: 'x', line: 9 }
    expect(() => applySnippet({ edit, existing: '# readme' })).toThrow(
      'EXTENDING.md line 9 (README.md): the file exists and scripts/extendingWalkthrough.ts has no rule',
    )
    const slugs = { file: 'collections/slugs.ts', snippet: 'x', line: 4 }
    expect(() => applySnippet({ edit: slugs, existing: undefined })).toThrow(
      'EXTENDING.md line 4 (collections/slugs.ts): the file does not exist',
    )
  })

  // Only the edits of existing files: after a developer has really added brands, the new files
  // exist, and this test must still pass.
  it("should find where each snippet of the project's EXTENDING.md goes in the project's files", () => {
    const { edits, commands } = planWalkthrough(readProjectFile('docs/EXTENDING.md'))
    const newFiles = edits.filter(({ file }) => !hasSnippetRule(file)).map(({ file }) => file)
    expect(newFiles).toEqual(['collections/Brands.ts', 'tests/int/brands.int.spec.ts'])
    const after = Object.fromEntries(
      edits
        .filter(({ file }) => hasSnippetRule(file))
        .map((edit) => [edit.file, applySnippet({ edit, existing: readProjectFile(edit.file) })]),
    )
    expect(after['collections/slugs.ts']).toMatch(
      /collectionSlugs = \{[^}]*\n {2}brands: 'brands',\n\}/,
    )
    expect(after['collections/Items/index.ts']).toContain(
      "    { name: 'brand', type: 'relationship', relationTo: collectionSlugs.brands },\n  ],\n}",
    )
    expect(after['payload.config.ts']).toContain("import { Brands } from './collections/Brands'\n")
    expect(after['payload.config.ts']).toMatch(/collections: \[[^\]]*, Brands\],/)
    expect(commands).toContainEqual(['npm', 'run', 'migrate:create', '--', 'add_brands'])
  })
})
