'use client'

import { useAuth, useConfig } from '@payloadcms/ui'
import { usePathname, useRouter } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React, { useEffect, useRef } from 'react'

import { twoFactorViewPath } from './paths'

type Props = {
  children?: React.ReactNode
  /** The server's verdict for the user it rendered the layout for. */
  isAwaitingEnrolment: boolean
  renderedForUserId: string | undefined
}

/**
 * The browser half of {@link EnrolmentRedirect}. The admin's layout is not rendered again on
 * client-side navigation, so when a different user signs in without a full page load (creating
 * the first user does), the layout is refreshed once to get the server's verdict for them.
 */
export const EnrolmentRedirectClient: React.FC<Props> = ({
  children,
  isAwaitingEnrolment,
  renderedForUserId,
}) => {
  const { user } = useAuth<{ id: number | string; twoFactorEnabled?: boolean | null }>()
  const {
    config: {
      admin: { routes },
      routes: { admin: adminRoute },
    },
  } = useConfig()
  const pathname = usePathname()
  const router = useRouter()
  const refreshedForUserId = useRef<string | undefined>(undefined)
  const signedInUserId = user ? String(user.id) : undefined
  const isVerdictForSignedInUser = signedInUserId === renderedForUserId
  const shouldRedirect = isAwaitingEnrolment && isVerdictForSignedInUser && !user?.twoFactorEnabled
  const enrolmentHref = formatAdminURL({ adminRoute, path: twoFactorViewPath })
  const logoutHref = formatAdminURL({ adminRoute, path: routes.logout })

  useEffect(() => {
    if (!signedInUserId || isVerdictForSignedInUser) return
    if (refreshedForUserId.current === signedInUserId) return
    refreshedForUserId.current = signedInUserId
    router.refresh()
  }, [signedInUserId, isVerdictForSignedInUser, router])

  useEffect(() => {
    if (shouldRedirect && pathname !== enrolmentHref && !pathname.startsWith(logoutHref)) {
      router.replace(enrolmentHref)
    }
  }, [shouldRedirect, pathname, enrolmentHref, logoutHref, router])

  return <>{children}</>
}
