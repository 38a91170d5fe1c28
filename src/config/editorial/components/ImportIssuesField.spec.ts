import { createElement, type ComponentProps } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

import { ImportIssuesField } from './ImportIssuesField'

type Props = ComponentProps<typeof ImportIssuesField>

const render = (issueDetails: unknown) =>
  renderToStaticMarkup(
    createElement(ImportIssuesField, {
      field: { name: 'issueDetails', type: 'json', label: 'Issue details' },
      siblingData: { issueDetails },
    } as unknown as Props),
  )

describe('ImportIssuesField', () => {
  it('should list refused rows as text in a table, with nothing to load', () => {
    const html = render([{ row: 3, column: 'name', error: 'name: <b>required</b>' }])
    expect(html).toContain('<table aria-label="Issue details"')
    expect(html).toMatch(/<th[^>]*>Row<\/th><th[^>]*>Column<\/th><th[^>]*>Reason<\/th>/)
    expect(html).toContain('<code>name</code>')
    expect(html).toMatch(/<td[^>]*>&lt;b&gt;required&lt;\/b&gt;<\/td>/)
    expect(html).not.toMatch(/<(script|link|iframe|textarea)\b/)
  })

  it('should say so when no row was refused', () => {
    expect(render(undefined)).toContain('No row was refused.')
  })
})
