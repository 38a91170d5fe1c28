'use client'

import { useAuth, useConfig } from '@payloadcms/ui'
import { usePathname, useRouter } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React, { useEffect } from 'react'

import { isAwaitingTwoFactorEnrolment, readTwoFactorSettings } from '../settings'

import { twoFactorViewPath } from './paths'

type UserWithTwoFactor = {
  collection?: string
  role?: string | null
  twoFactorEnabled?: boolean | null
}

/**
 * With REQUIRE_2FA_FOR_ADMINS, an admin without two-factor authentication sees nothing in the
 * admin (the server denies every collection); this sends them where they can fix that. The
 * server-side denial is the protection, this redirect is only the way out.
 */
export const EnrolmentRedirect: React.FC<{ children?: React.ReactNode }> = ({ children }) => {
  const { user } = useAuth<UserWithTwoFactor>()
  const {
    config: {
      admin: { custom, routes, user: usersSlug },
      routes: { admin: adminRoute },
    },
  } = useConfig()
  const pathname = usePathname()
  const router = useRouter()
  const isAwaitingEnrolment = isAwaitingTwoFactorEnrolment({
    user,
    ...readTwoFactorSettings(custom),
    usersSlug,
  })
  const enrolmentHref = formatAdminURL({ adminRoute, path: twoFactorViewPath })
  const logoutHref = formatAdminURL({ adminRoute, path: routes.logout })

  useEffect(() => {
    if (isAwaitingEnrolment && pathname !== enrolmentHref && !pathname.startsWith(logoutHref)) {
      router.replace(enrolmentHref)
    }
  }, [isAwaitingEnrolment, pathname, enrolmentHref, logoutHref, router])

  return <>{children}</>
}
