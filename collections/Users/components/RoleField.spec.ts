import fs from 'node:fs'
import path from 'node:path'

import { createElement, type ComponentProps } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'

import { Users } from '../index'
import { firstUserRole } from '../hooks/assignAdminRoleToFirstUser'
import { firstUserRoleDescription, RoleField } from './RoleField'

// Payload's admin components load their CSS, which only a bundler can: stand-ins that print the
// props they were given.
vi.mock('@payloadcms/ui', () => ({
  SelectField: (props: { path: string; readOnly?: boolean }) =>
    createElement('div', {
      'data-component': 'SelectField',
      'data-path': props.path,
      'data-read-only': String(Boolean(props.readOnly)),
    }),
  SelectInput: (props: {
    value: string
    readOnly?: boolean
    description?: string
    options: { value: string }[]
  }) =>
    createElement('div', {
      'data-component': 'SelectInput',
      'data-value': props.value,
      'data-read-only': String(Boolean(props.readOnly)),
      'data-description': props.description,
      'data-options': props.options.map((option) => option.value).join(','),
    }),
}))

type Props = ComponentProps<typeof RoleField>

const projectRoot = path.resolve(import.meta.dirname, '../../..')
const roleField = Users.fields.find((field) => 'name' in field && field.name === 'role')

const renderFor = (user: unknown) =>
  renderToStaticMarkup(
    createElement(RoleField, {
      clientField: {
        name: 'role',
        type: 'select',
        label: 'Role',
        options: [
          { label: 'Admin', value: 'admin' },
          { label: 'Editor', value: 'editor' },
        ],
      },
      path: 'role',
      schemaPath: 'users.role',
      permissions: true,
      readOnly: false,
      user,
    } as unknown as Props),
  )

describe('the role field', () => {
  // Regression: the first-user form showed "Role: Editor" while the account became an admin.
  it('should show the admin role, read-only, on the create-first-user form (nobody signed in)', () => {
    const html = renderFor(null)
    expect(firstUserRole).toBe('admin')
    expect(html).toContain('data-component="SelectInput"')
    expect(html).toContain(`data-value="${firstUserRole}"`)
    expect(html).toContain('data-read-only="true"')
    expect(html).toContain('data-options="admin,editor"')
    expect(html).toContain(firstUserRoleDescription.slice(0, 40))
  })

  it("should be Payload's select for a signed-in user, who may or may not change roles", () => {
    const html = renderFor({ id: 1, role: 'admin' })
    expect(html).toContain('data-component="SelectField"')
    expect(html).toContain('data-path="role"')
    expect(html).toContain('data-read-only="false"')
  })

  it('should be the Field component of the users collection, found in the admin import map', () => {
    const component = roleField?.admin?.components
    const componentPath = component && 'Field' in component ? component.Field : undefined
    expect(componentPath).toBe('/collections/Users/components/RoleField#RoleField')
    const importMap = fs.readFileSync(
      path.join(projectRoot, 'src/app/(payload)/admin/importMap.js'),
      'utf8',
    )
    expect(importMap).toContain(`"${componentPath}":`)
  })
})
