import type { CollectionBeforeOperationHook, PayloadRequest } from 'payload'

import {
  contextOf,
  submittedCodeKey,
  twoFactorCodeField,
  twoFactorCodeHeader,
} from './loginContext'

const readSubmittedCode = (req: PayloadRequest, data: unknown): unknown => {
  const fromData = (data as Record<string, unknown> | undefined)?.[twoFactorCodeField]
  const fromBody = (req.data as Record<string, unknown> | undefined)?.[twoFactorCodeField]
  return fromData ?? fromBody ?? req.headers?.get(twoFactorCodeHeader) ?? undefined
}

/**
 * Payload passes only email and password on to the login operation, so the code is picked up
 * before it runs: from the Local API's data, the REST body, or the header.
 */
export const getRememberSubmittedCodeHook =
  (): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    if (operation === 'login' || operation === 'resetPassword') {
      contextOf(req)[submittedCodeKey] = readSubmittedCode(req, (args as { data?: unknown }).data)
    }
    return args
  }
