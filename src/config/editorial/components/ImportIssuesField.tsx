import type { JSONFieldServerComponent } from 'payload'
import React from 'react'
import type { CSSProperties } from 'react'

import { toImportIssueRows } from './importIssueRows'

const cellStyle: CSSProperties = {
  borderBottom: '1px solid var(--theme-elevation-150)',
  padding: 'calc(var(--base) / 4) calc(var(--base) / 2)',
  textAlign: 'left',
  verticalAlign: 'top',
}

/**
 * An import's refused rows as a table (row, column, reason), in place of Payload's JSON editor,
 * which loads its code from a public CDN: the admin must work without it. Read-only, as the field
 * is: only the import job writes it.
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
        <div style={{ overflowX: 'auto' }}>
          <table aria-label={label} style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                {['Row', 'Column', 'Reason'].map((heading) => (
                  <th key={heading} scope="col" style={cellStyle}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ row, column, reason }, index) => (
                <tr key={`${row}-${index}`}>
                  <th scope="row" style={cellStyle}>
                    {row}
                  </th>
                  <td style={cellStyle}>
                    <code>{column}</code>
                  </td>
                  <td style={cellStyle}>{reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
