import { describe, expect, it } from 'vitest'

import { runJobSteps, type JobStep, type JobStepOutcome } from './jobSteps'

type Context = { ran: string[] }

const step = (name: string, options: Partial<JobStep<Context>> = {}): JobStep<Context> => ({
  name,
  run: async (context) => {
    context.ran.push(name)
    return `${name} done`
  },
  ...options,
})

const fail = (message: string) => async () => {
  throw new Error(message)
}

const run = async (steps: JobStep<Context>[]) => {
  const context: Context = { ran: [] }
  const outcomes: [string, JobStepOutcome['status']][] = []
  const errors: unknown[] = []
  await runJobSteps({
    steps,
    context,
    onStep: ({ name }, outcome) => {
      outcomes.push([name, outcome.status])
      if (outcome.status === 'failed') errors.push(outcome.error)
    },
  })
  return { ran: context.ran, outcomes, errors }
}

describe('runJobSteps', () => {
  it('should run every step in order and report what each did', async () => {
    const details: (string | undefined)[] = []
    await runJobSteps({
      steps: [step('a'), step('b')],
      context: { ran: [] },
      onStep: (_step, outcome) => {
        if (outcome.status === 'passed') details.push(outcome.detail)
      },
    })
    expect(details).toEqual(['a done', 'b done'])
  })

  it('should skip the steps after a failure, except cleanup steps', async () => {
    const { ran, outcomes, errors } = await run([
      step('a'),
      step('b', { run: fail('broken') }),
      step('c'),
      step('cleanup', { isCleanup: true }),
    ])
    expect(ran).toEqual(['a', 'cleanup'])
    expect(outcomes).toEqual([
      ['a', 'passed'],
      ['b', 'failed'],
      ['c', 'skipped'],
      ['cleanup', 'passed'],
    ])
    expect((errors[0] as Error).message).toBe('broken')
  })

  it('should keep going after an optional step fails', async () => {
    const { ran, outcomes } = await run([
      step('a', { run: fail('no media'), isOptional: true }),
      step('b'),
    ])
    expect(ran).toEqual(['b'])
    expect(outcomes).toEqual([
      ['a', 'failed'],
      ['b', 'passed'],
    ])
  })

  it('should leave out the detail of a step that returns none', async () => {
    const outcomes: JobStepOutcome[] = []
    await runJobSteps({
      steps: [{ name: 'quiet', run: async () => undefined }],
      context: {},
      onStep: (_step, outcome) => outcomes.push(outcome),
    })
    expect(outcomes).toEqual([{ status: 'passed', seconds: expect.any(Number) }])
  })
})
