import type { ServerProps } from 'payload'

import React from 'react'

import { isAwaitingTwoFactorEnrolment } from '../utilities/requirement'

import { EnrolmentRedirectClient } from './EnrolmentRedirectClient'
import { readTwoFactorOptions } from './readOptions'

/**
 * With `isRequiredForAdmins`, an admin without two-factor authentication sees nothing in the
 * admin (the server denies every collection); this sends them where they can fix that. The
 * server-side denial is the protection, this redirect is only the way out. Decided here, on the
 * server, because who is an admin is the app's function (`isAdmin`), which cannot reach the browser.
 */
export const EnrolmentRedirect = ({
  children,
  payload,
  user,
}: ServerProps & { children?: React.ReactNode }) => {
  const isAwaitingEnrolment = isAwaitingTwoFactorEnrolment({
    user,
    ...readTwoFactorOptions(payload),
  })
  return (
    <EnrolmentRedirectClient
      isAwaitingEnrolment={isAwaitingEnrolment}
      renderedForUserId={user ? String(user.id) : undefined}
    >
      {children}
    </EnrolmentRedirectClient>
  )
}
