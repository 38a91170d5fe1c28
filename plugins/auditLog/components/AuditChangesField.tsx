import type { JSONFieldServerComponent } from 'payload'
import React from 'react'

import { ReadOnlyTable, wrappedValueStyle } from '../../pluginKit/components'
import { describeChanges, type ChangesView } from '../utilities/describeChanges'

const ChangesBody = ({ view, label }: { view: ChangesView; label: string }) => {
  switch (view.kind) {
    case 'empty':
      return <p>No changes recorded.</p>
    case 'changedFields':
      return (
        <ReadOnlyTable
          label={label}
          headings={['Field', 'Before', 'After']}
          rows={view.rows.map((row) => [
            <code key="path">{row.path}</code>,
            <pre key="before" style={wrappedValueStyle}>
              {row.before}
            </pre>,
            <pre key="after" style={wrappedValueStyle}>
              {row.after}
            </pre>,
          ])}
        />
      )
    case 'values':
      return (
        <ReadOnlyTable
          label={label}
          headings={['Field', 'Value']}
          rows={view.rows.map((row) => [
            <code key="path">{row.path}</code>,
            <pre key="value" style={wrappedValueStyle}>
              {row.value}
            </pre>,
          ])}
        />
      )
    case 'json':
      return <pre style={wrappedValueStyle}>{view.text}</pre>
  }
}

/**
 * The audit row's `changes`, read-only, as a table of fields and values rendered on the server in
 * place of Payload's JSON editor (see ReadOnlyTable for why).
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
