/**
 * The pure part of scripts/extending-walkthrough.ts: reads docs/EXTENDING.md's "Add a collection"
 * section into the edits and commands it tells a developer to make, and applies an edit to a
 * file's text. The docs are the single source: each `ts` block names its file in the fence's title
 * (```ts title="collections/slugs.ts"), and the `bash` block lists the commands to run after.
 */

export const walkthroughSection = 'Add a collection'

/** A fenced code block of a Markdown document, its indentation (list items) removed. */
export type FencedBlock = {
  /** The `## ` heading the block is under. */
  section: string
  language: string
  /** From `title="…"` in the fence's info string. */
  title?: string
  code: string
  /** 1-based line of the opening fence, for messages. */
  line: number
}

export type SnippetEdit = { file: string; snippet: string; line: number }

export type WalkthroughPlan = {
  /** In the order the docs give them. */
  edits: SnippetEdit[]
  /** Each an argv, e.g. ['npm', 'run', 'generate:types']. */
  commands: string[][]
}

const fencePattern = /^( *)(`{3,})\s*(\S*)(.*)$/

export const parseFencedBlocks = (markdown: string): FencedBlock[] => {
  const blocks: FencedBlock[] = []
  const lines = markdown.split('\n')
  let section = ''
  for (let index = 0; index < lines.length; index++) {
    const heading = /^## (.+)$/.exec(lines[index])
    if (heading) section = heading[1].trim()
    const fence = fencePattern.exec(lines[index])
    if (!fence) continue
    const [, indent, backticks, language, info] = fence
    const body: string[] = []
    const opening = index
    for (index++; index < lines.length; index++) {
      if (lines[index].trim() === backticks) break
      // As CommonMark does: remove up to the fence's indentation from each line.
      body.push(lines[index].replace(new RegExp(`^ {0,${indent.length}}`), ''))
    }
    if (index >= lines.length) throw new Error(`line ${opening + 1}: a code block is never closed`)
    const title = /title="([^"]+)"/.exec(info)?.[1]
    blocks.push({ section, language, title, code: body.join('\n'), line: opening + 1 })
  }
  return blocks
}

/** What EXTENDING.md's "Add a collection" section tells a developer to do. */
export const planWalkthrough = (markdown: string): WalkthroughPlan => {
  const blocks = parseFencedBlocks(markdown).filter(({ section }) => section === walkthroughSection)
  if (blocks.length === 0) {
    throw new Error(`found no code blocks under "## ${walkthroughSection}"`)
  }
  const edits: SnippetEdit[] = []
  const commands: string[][] = []
  for (const { language, title, code, line } of blocks) {
    if (language === 'bash' || language === 'sh') {
      const lines = code.split('\n').map((text) => text.trim())
      commands.push(...lines.filter((text) => text && !text.startsWith('#')).map(toArgv))
    } else if (title) {
      edits.push({ file: title, snippet: code, line })
    } else {
      throw new Error(
        `line ${line}: a ${language || 'code'} block has no title="<file>", so the walk-through cannot tell which file it goes into`,
      )
    }
  }
  if (edits.length === 0 || commands.length === 0) {
    throw new Error(`"## ${walkthroughSection}" needs titled ts blocks and a bash block`)
  }
  return { edits, commands }
}

const toArgv = (command: string): string[] => {
  if (/[|&;<>$`'"\\]/.test(command)) {
    throw new Error(`"${command}": one plain command per line, without shell syntax`)
  }
  return command.split(/\s+/)
}

const closingOf: Record<string, string> = { '[': ']', '{': '}', '(': ')' }

/**
 * The index of the bracket that closes the one at `openIndex`, skipping brackets inside strings
 * and comments.
 */
export const findClosingBracket = (source: string, openIndex: number): number => {
  const stack: string[] = []
  for (let index = openIndex; index < source.length; index++) {
    const char = source[index]
    if (char === "'" || char === '"' || char === '`') {
      index = skipString(source, index)
    } else if (source.startsWith('//', index)) {
      index = source.indexOf('\n', index)
      if (index === -1) break
    } else if (source.startsWith('/*', index)) {
      index = source.indexOf('*/', index) + 1
      if (index === 0) break
    } else if (closingOf[char]) {
      stack.push(closingOf[char])
    } else if (char === stack.at(-1)) {
      stack.pop()
      if (stack.length === 0) return index
    }
  }
  throw new Error(`the bracket at offset ${openIndex} is never closed`)
}

const skipString = (source: string, start: number): number => {
  for (let index = start + 1; index < source.length; index++) {
    if (source[index] === '\\') index++
    else if (source[index] === source[start]) return index
  }
  return source.length
}

type AppendArgs = {
  source: string
  /** Text that ends with the list's or object's opening bracket, e.g. `fields: [`. */
  opener: string
  item: string
}

/**
 * Appends an element to an array or a property to an object literal, in the layout it already
 * has: one element per line, or all on one line.
 */
export const appendToList = ({ source, opener, item }: AppendArgs): string => {
  const start = source.indexOf(opener)
  if (start === -1) throw new Error(`cannot find \`${opener}\``)
  if (source.indexOf(opener, start + 1) !== -1) throw new Error(`\`${opener}\` occurs twice`)
  const openIndex = start + opener.length - 1
  const closeIndex = findClosingBracket(source, openIndex)
  const inner = source.slice(openIndex + 1, closeIndex).trimEnd()
  const element = item.trim().replace(/,$/, '')
  const separator = inner.trim() === '' || inner.endsWith(',') ? '' : ','
  const head = source.slice(0, openIndex + 1)
  const tail = source.slice(closeIndex)
  if (!source.slice(openIndex, closeIndex).includes('\n')) {
    return `${head}${inner}${separator}${inner.trim() ? ' ' : ''}${element}${tail}`
  }
  const closingIndent = /[ \t]*$/.exec(source.slice(0, closeIndex))![0]
  const indented = element
    .split('\n')
    .map((line) => (line ? `${closingIndent}  ${line}` : line))
    .join('\n')
  return `${head}${inner}${separator}\n${indented},\n${closingIndent}${tail}`
}

const importPattern = /^import\s+(?:type\s+)?\{\s*([\w\s,]+?)\s*\}\s+from\s+['"][^'"]+['"]\s*$/
const importEndPattern =
  /^(?:import\s.*|\})\s*from\s+['"][^'"]+['"];?\s*$|^import\s+['"][^'"]+['"];?\s*$/

/** Adds import statements after the module's last one; returns the names they import. */
export const addImports = (
  source: string,
  imports: string,
): { source: string; names: string[] } => {
  const statements = imports.split('\n').filter((line) => line.trim())
  const names = statements.flatMap((statement) => {
    const match = importPattern.exec(statement)
    if (!match) throw new Error(`\`${statement}\` is not a single-line named import`)
    return match[1].split(',').map((name) => name.trim())
  })
  const lines = source.split('\n')
  const lastImport = lines.findLastIndex((line) => importEndPattern.test(line))
  lines.splice(lastImport + 1, 0, ...statements)
  return { source: lines.join('\n'), names }
}

/**
 * Where a snippet goes in a file that exists before the walk-through. A file without a rule must
 * not exist yet: the snippet becomes the whole file.
 */
const snippetRules: Partial<Record<string, (source: string, snippet: string) => string>> = {
  'collections/slugs.ts': (source, snippet) =>
    appendToList({ source, opener: 'export const collectionSlugs = {', item: snippet }),
  'collections/Items/index.ts': (source, snippet) =>
    appendToList({ source, opener: 'fields: [', item: snippet }),
  // The docs show the import; the imported collection then goes into `collections`.
  'payload.config.ts': (source, snippet) => {
    const imported = addImports(source, snippet)
    return imported.names.reduce(
      (config, name) => appendToList({ source: config, opener: 'collections: [', item: name }),
      imported.source,
    )
  },
}

/** Whether a snippet for this file goes into it (a rule says where) rather than being the file. */
export const hasSnippetRule = (file: string): boolean => snippetRules[file] !== undefined

type ApplyArgs = {
  edit: SnippetEdit
  /** The file's text before the edit; undefined when it does not exist. */
  existing: string | undefined
}

/** The file's text after the docs' edit. */
export const applySnippet = ({ edit, existing }: ApplyArgs): string => {
  const rule = snippetRules[edit.file]
  const where = `EXTENDING.md line ${edit.line} (${edit.file})`
  if (existing === undefined) {
    if (rule) throw new Error(`${where}: the file does not exist`)
    return `${edit.snippet.trimEnd()}\n`
  }
  if (!rule) {
    throw new Error(
      `${where}: the file exists and scripts/extendingWalkthrough.ts has no rule for where in it the snippet goes (snippetRules)`,
    )
  }
  try {
    return rule(existing, edit.snippet)
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
