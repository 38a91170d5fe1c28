import { describeFailure } from './backupJobError'
import { recordJobRun, type BackupJob, type JobRunStatus } from './jobRuns'

/** The fields that `npm run backup`'s summary and `npm run drill`'s report share. */
type JobReport<Message extends string> = {
  msg: Message
  status: JobRunStatus
  durationSeconds: number
  /** Whether the result reached `ops_job_runs`, hence the metrics. */
  isRecorded: boolean
  /** Everything that went wrong, first failure first; empty when the job succeeded. */
  problems: string[]
}

type FinishJobReportArgs<Message extends string> = {
  report: JobReport<Message>
  job: BackupJob
  databaseUrl: string
  startedAt: Date
  /** What the run's row keeps besides its times and status; never credentials. */
  details: Record<string, unknown>
  /** The report's `msg` for each final status. */
  messages: Record<JobRunStatus, Message>
  secretValues: (string | undefined)[]
}

/**
 * The last step of every backup job: its duration, its row in `ops_job_runs` (a failure to write it
 * becomes one more problem), then its final status and message.
 */
export const finishJobReport = async <Message extends string>({
  report,
  job,
  databaseUrl,
  startedAt,
  details,
  messages,
  secretValues,
}: FinishJobReportArgs<Message>): Promise<void> => {
  const finishedAt = new Date()
  report.durationSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000
  try {
    await recordJobRun({
      databaseUrl,
      job,
      status: report.problems.length === 0 ? 'succeeded' : 'failed',
      startedAt,
      finishedAt,
      details,
    })
    report.isRecorded = true
  } catch (error) {
    report.problems.push(
      `Recording the result in ops_job_runs failed (is \`npm run migrate\` done?): ${describeFailure(error, secretValues)}`,
    )
  }
  report.status = report.problems.length === 0 ? 'succeeded' : 'failed'
  report.msg = messages[report.status]
}
