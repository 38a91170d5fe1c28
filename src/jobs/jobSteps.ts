/**
 * An operator job (backup, drill) as an ordered list of small named steps, run by one runner, so
 * each job reads as the list of what it does and reports every step the same way.
 */
export type JobStep<Context> = {
  name: string
  /** Does the step's work on the job's shared context; returns what it did, for the report. */
  run: (context: Context) => Promise<string | void>
  /** Runs even after an earlier step failed: cleanup. @default false */
  isCleanup?: boolean
  /** A failure is reported, and the steps after it still run. @default false */
  isOptional?: boolean
}

export type JobStepOutcome =
  | { status: 'passed'; seconds: number; detail?: string }
  | { status: 'failed'; seconds: number; error: unknown }
  /** An earlier step that is not optional failed. */
  | { status: 'skipped' }

type RunJobStepsArgs<Context, Step extends JobStep<Context>> = {
  steps: readonly Step[]
  context: Context
  /** Called once per step, in order, with how it went. */
  onStep: (step: Step, outcome: JobStepOutcome) => void
}

/**
 * Runs the steps in order. A failed step that is not optional makes the remaining steps skipped,
 * except cleanup steps, which always run. Never throws for a step: failures go to `onStep`.
 */
export const runJobSteps = async <Context, Step extends JobStep<Context>>({
  steps,
  context,
  onStep,
}: RunJobStepsArgs<Context, Step>): Promise<void> => {
  let hasFailed = false
  for (const step of steps) {
    if (hasFailed && !step.isCleanup) {
      onStep(step, { status: 'skipped' })
      continue
    }
    const started = performance.now()
    const seconds = () => Math.round(performance.now() - started) / 1000
    let outcome: JobStepOutcome
    try {
      const detail = await step.run(context)
      outcome = { status: 'passed', seconds: seconds(), ...(detail ? { detail } : {}) }
    } catch (error) {
      outcome = { status: 'failed', seconds: seconds(), error }
      if (!step.isOptional) hasFailed = true
    }
    onStep(step, outcome)
  }
}
