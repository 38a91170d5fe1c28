import React from 'react'
import type { CSSProperties, ReactNode } from 'react'

const cellStyle: CSSProperties = {
  borderBottom: '1px solid var(--theme-elevation-150)',
  padding: 'calc(var(--base) / 4) calc(var(--base) / 2)',
  textAlign: 'left',
  verticalAlign: 'top',
}

/** For long values (JSON, rich text): they wrap instead of widening the admin's edit view. */
export const wrappedValueStyle: CSSProperties = {
  margin: 0,
  fontFamily: 'var(--font-mono, monospace)',
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
}

type ReadOnlyTableProps = {
  /** The table's accessible name. */
  label: string
  headings: readonly string[]
  /** One entry per row; its first cell is the row's header. */
  rows: readonly (readonly ReactNode[])[]
}

/**
 * A read-only table in the admin's own theme, rendered on the server. Fields that show stored JSON
 * use it in place of Payload's JSON editor, whose code loads from a public CDN: the admin would
 * contact a third party, be blocked by a strict Content-Security-Policy and stay blank offline.
 */
export const ReadOnlyTable = ({ label, headings, rows }: ReadOnlyTableProps) => (
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
        {rows.map(([rowHeader, ...cells], index) => (
          // Rows are never reordered: a stored, read-only value.
          <tr key={index}>
            <th scope="row" style={cellStyle}>
              {rowHeader}
            </th>
            {cells.map((cell, column) => (
              <td key={column} style={cellStyle}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)
