import type { JSONFieldServerComponent } from 'payload'
import React from 'react'

import { ReadOnlyTable } from '../../../../plugins/pluginKit/components'
import { toImportIssueRows } from './importIssueRows'

/**
 * An import's refused rows as a table (row, column, reason), in place of Payload's JSON editor
 * (see ReadOnlyTable for why). Read-only, as the field is: only the import job writes it.
 */
export const ImportIssuesField: JSONFieldServerComponent = ({ field, siblingData }) => {
  const label = typeof field.label === 'string' ? field.label : 'Issues'
  const rows = toImportIssueRows((siblingData as { issueDetails?: unknown })?.issueDetails)
  return (
    <div className="field-type">
      <p className="field-label">{label}</p>
      {rows.length === 0 ? (
        <p>No row was refused.</p>
      ) : (
        <ReadOnlyTable
          label={label}
          headings={['Row', 'Column', 'Reason']}
          rows={rows.map(({ row, column, reason }) => [
            row,
            <code key="column">{column}</code>,
            reason,
          ])}
        />
      )}
    </div>
  )
}
