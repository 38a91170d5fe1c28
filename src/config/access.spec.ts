import type { AccessArgs, PayloadRequest } from 'payload'
import { describe, expect, it } from 'vitest'

import {
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
