import { createElement, type ComponentProps } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

import { AuditChangesField } from './AuditChangesField'

type Props = ComponentProps<typeof AuditChangesField>

const render = (changes: unknown) =>
  renderToStaticMarkup(
    createElement(AuditChangesField, {
      field: {
        name: 'changes',
        type: 'json',
        label: 'Changes',
        admin: { description: 'What changed.' },
      },
      siblingData: { action: 'update', changes },
    } as unknown as Props),
  )

describe('AuditChangesField', () => {
  it('should render an update as a table of fields before and after, with nothing to load', () => {
    const html = render({ fields: [{ path: 'name', before: 'Old <b>name</b>', after: 'New' }] })
    expect(html).toContain('<table aria-label="Changes"')
    expect(html).toMatch(/<th[^>]*>Field<\/th><th[^>]*>Before<\/th><th[^>]*>After<\/th>/)
    expect(html).toContain('<code>name</code>')
    // Values are text, never markup.
    expect(html).toContain('Old &lt;b&gt;name&lt;/b&gt;')
    expect(html).toContain('What changed.')
    expect(html).not.toMatch(/<(script|link|iframe|textarea)\b/)
    expect(html).not.toMatch(/https?:\/\//)
  })

  it('should render a snapshot as a table of fields and values', () => {
    const html = render({ snapshot: { name: 'Chairs', price: 2599 } })
    expect(html).toMatch(/<th[^>]*>Field<\/th><th[^>]*>Value<\/th>/)
    expect(html).toContain('2599')
  })

  it('should say so when nothing was recorded', () => {
    expect(render(null)).toContain('No changes recorded.')
  })
})
