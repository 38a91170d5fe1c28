import type { AccessArgs, PayloadRequest } from 'payload'
import { describe, expect, it } from 'vitest'

import {
  canQueueScheduledPublish,
  hasCatalogEditingRole,
  isAdmin,
  isAdminOrSelf,
  isCatalogEditor,
  publishedOrAuthenticated,
} from './access'

const argsFor = (user: { id: number; role: string } | null): AccessArgs =>
  ({ req: { user } as unknown as PayloadRequest }) as AccessArgs

const admin = { id: 1, role: 'admin' }
const editor = { id: 2, role: 'editor' }
const unknownRole = { id: 3, role: 'viewer' }

describe('access rules', () => {
  it('should let editors and admins change the catalog, and nobody else', () => {
    expect(isCatalogEditor(argsFor(admin))).toBe(true)
    expect(isCatalogEditor(argsFor(editor))).toBe(true)
    expect(isCatalogEditor(argsFor(null))).toBe(false)
  })

  it('should give a role no rule names no rights, although it is signed in', () => {
    expect(hasCatalogEditingRole(unknownRole)).toBe(false)
    expect(isCatalogEditor(argsFor(unknownRole))).toBe(false)
    expect(isAdmin(argsFor(unknownRole))).toBe(false)
  })

  it('should limit non-admins to their own account', () => {
    expect(isAdminOrSelf(argsFor(admin))).toBe(true)
    expect(isAdminOrSelf(argsFor(editor))).toEqual({ id: { equals: editor.id } })
    expect(isAdminOrSelf(argsFor(null))).toBe(false)
  })

  it('should limit anonymous readers to published documents', () => {
    expect(publishedOrAuthenticated(argsFor(null))).toEqual({ _status: { equals: 'published' } })
    expect(publishedOrAuthenticated(argsFor(editor))).toBe(true)
  })
})

describe('creating jobs over the API', () => {
  const withData = (user: { id: number; role: string } | null, data?: object) =>
    ({ ...argsFor(user), data }) as AccessArgs

  it('should let editors and admins create scheduled publishes, and nobody else', () => {
    const data = { taskSlug: 'schedulePublish' }
    expect(canQueueScheduledPublish(withData(editor, data))).toBe(true)
    expect(canQueueScheduledPublish(withData(admin, data))).toBe(true)
    expect(canQueueScheduledPublish(withData(null, data))).toBe(false)
    expect(canQueueScheduledPublish(withData(unknownRole, data))).toBe(false)
  })

  it('should refuse any other task with a message naming the one allowed', () => {
    expect(() =>
      canQueueScheduledPublish(withData(admin, { taskSlug: 'auditLogRetention' })),
    ).toThrow('Only "schedulePublish" jobs may be created over the API, not "auditLogRetention".')
  })

  it("should answer by role alone when asked without data (the admin's permissions)", () => {
    expect(canQueueScheduledPublish(withData(editor))).toBe(true)
  })
})
