/**
 * Starts what a test run needs, one named step at a time, and stops it in reverse order. When a
 * step fails, everything started before it is stopped at once and the error names the step, so a
 * failed setup neither leaves an embedded PostgreSQL or an S3 server running nor hides its cause
 * behind a later, vaguer message ("No test files found", "close timed out").
 */
export const createSetupSteps = () => {
  const stops: { name: string; stop: () => Promise<void> | void }[] = []

  const stopAll = async () => {
    while (stops.length > 0) {
      const { name, stop } = stops.pop()!
      try {
        await stop()
      } catch (error) {
        console.error(`Test teardown: stopping ${name} failed:`, error)
      }
    }
  }

  const start = async <T>(
    name: string,
    run: () => Promise<T> | T,
    stop?: (started: T) => Promise<void> | void,
  ): Promise<T> => {
    try {
      const started = await run()
      if (stop) stops.push({ name, stop: () => stop(started) })
      return started
    } catch (error) {
      await stopAll()
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(
        `Test setup failed while ${name}: ${reason}\nEverything started before it has been stopped.`,
        { cause: error },
      )
    }
  }

  return { start, stopAll }
}
