/**
 * Runs a command-line script's body as an ordinary async function instead of top-level await, and
 * makes a script that stops without finishing fail loudly. Should the event loop empty while the
 * work still waits on a promise that can never settle (as the import of the app's config did on
 * Node 20, see src/server/lexicalWithoutTopLevelAwait.mjs), the process exits 1 with a message
 * instead of exit code 13 or, without top-level await, a silent 0.
 */
export const runScript = (name: string, main: () => Promise<unknown>): void => {
  let isFinished = false
  process.once('beforeExit', () => {
    if (isFinished) return
    console.error(`${name} stopped before finishing (nothing left to wait for).`)
    process.exit(1)
  })
  main().then(
    () => {
      isFinished = true
    },
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    },
  )
}
