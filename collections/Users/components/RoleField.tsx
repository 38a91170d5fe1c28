import type { OptionObject, SelectFieldServerComponent } from 'payload'

import { SelectField, SelectInput } from '@payloadcms/ui'
import React from 'react'

import { firstUserRole } from '../hooks/assignAdminRoleToFirstUser'

export const firstUserRoleDescription =
  'The first user is always an admin, to manage the other accounts. Admins can change roles later.'

/**
 * The role select, except on the create-first-user form: there nobody is signed in yet, and the
 * account becomes an admin whatever the form says, so it shows that role, read-only, instead of the
 * "Editor" default later users get.
 */
export const RoleField: SelectFieldServerComponent = ({
  clientField,
  path,
  permissions,
  readOnly,
  schemaPath,
  user,
}) => {
  if (user) {
    return (
      <SelectField
        field={clientField}
        path={path}
        permissions={permissions}
        readOnly={readOnly}
        schemaPath={schemaPath}
      />
    )
  }
  const options = clientField.options.filter(
    (option): option is OptionObject => typeof option === 'object',
  )
  return (
    <SelectInput
      name={clientField.name}
      path={path ?? clientField.name}
      label={clientField.label}
      options={options}
      value={firstUserRole}
      description={firstUserRoleDescription}
      readOnly
    />
  )
}
