import type { NumberField } from 'payload'

/** Manual ordering for frontends: lower numbers first. */
export const sortOrderField = (): NumberField => ({
  name: 'sortOrder',
  type: 'number',
  defaultValue: 0,
  index: true,
  admin: {
    position: 'sidebar',
    step: 1,
    description: 'Lower numbers are listed first.',
  },
})
