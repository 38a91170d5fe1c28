import type { JSONFieldServerComponent } from 'payload'
import React from 'react'
import type { CSSProperties } from 'react'

import { describeChanges, type ChangesView } from '../utilities/describeChanges'

const cellStyle: CSSProperties = {
  borderBottom: '1px solid var(--theme-elevation-150)',
  padding: 'calc(var(--base) / 4) calc(var(--base) / 2)',
  textAlign: 'left',
  verticalAlign: 'top',
}

// Values can be long JSON (rich text): they wrap instead of widening the page.
const valueStyle: CSSProperties = {
  margin: 0,
  fontFamily: 'var(--font-mono, monospace)',
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
}

const Table = ({
  label,
  headings,
  rows,
}: {
  label: string
  headings: string[]
  rows: string[][]
}) => (
  <div style={{ overflowX: 'auto' }}>
    <table aria-label={label} style={{ width: '100%', borderCollapse: 'collapse' }}>
      <thead>
        <tr>
          {headings.map((heading) => (
            <th key={heading} scope="col" style={cellStyle}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([path, ...values], index) => (
          <tr key={`${path}-${index}`}>
            <th scope="row" style={cellStyle}>
              <code>{path}</code>
            </th>
            {values.map((value, column) => (
              <td key={column} style={cellStyle}>
                <pre style={valueStyle}>{value}</pre>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

const ChangesBody = ({ view, label }: { view: ChangesView; label: string }) => {
  switch (view.kind) {
    case 'empty':
      return <p>No changes recorded.</p>
    case 'changedFields':
      return (
        <Table
          label={label}
          headings={['Field', 'Before', 'After']}
          rows={view.rows.map((row) => [row.path, row.before, row.after])}
        />
      )
    case 'values':
      return (
        <Table
          label={label}
          headings={['Field', 'Value']}
          rows={view.rows.map((row) => [row.path, row.value])}
        />
      )
    case 'json':
      return <pre style={valueStyle}>{view.text}</pre>
  }
}

/**
 * The audit row's `changes`, read-only, as a table of fields and values rendered on the server.
 * It replaces Payload's JSON field, whose code editor loads from a public CDN: the admin would
 * contact a third party, be blocked by a strict Content-Security-Policy and stay blank offline.
 */
export const AuditChangesField: JSONFieldServerComponent = ({ field, siblingData, data }) => {
  const label = typeof field.label === 'string' ? field.label : field.name
  const description = typeof field.admin?.description === 'string' ? field.admin.description : ''
  const value: unknown = (siblingData ?? data)?.[field.name]
  return (
    <div className="field-type audit-changes">
      <span className="field-label">{label}</span>
      <ChangesBody view={describeChanges(value)} label={label} />
      {description ? <div className="field-description">{description}</div> : null}
    </div>
  )
}
