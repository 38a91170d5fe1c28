import type { SanitizedRequestBodyGuardOptions } from './types'

export const defaultOptions: SanitizedRequestBodyGuardOptions = {
  rejectUnknownFields: true,
  checkRelationsExist: true,
}

/** Keys an auth collection's REST writes carry besides its fields (the admin sends both). */
export const authCollectionExtraKeys = ['password', 'confirm-password'] as const
