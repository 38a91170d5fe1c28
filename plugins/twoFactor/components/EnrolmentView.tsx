import type { AdminViewServerProps } from 'payload'

import { MinimalTemplate } from '@payloadcms/next/templates'
import { redirect } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { isTwoFactorRequiredFor } from '../utilities/requirement'

import { EnrolmentPanel } from './EnrolmentPanel'
import { twoFactorViewPath } from './paths'
import { readTwoFactorOptions } from './readOptions'

/** /admin/two-factor: set up, or turn off, the signed-in user's own second factor. */
export const EnrolmentView = ({ initPageResult }: AdminViewServerProps) => {
  const { req } = initPageResult
  const adminRoute = req.payload.config.routes.admin
  // Custom views are reachable without a session; this one is about the signed-in account.
  if (!req.user) {
    const loginRoute = formatAdminURL({ adminRoute, path: req.payload.config.admin.routes.login })
    const back = formatAdminURL({ adminRoute, path: twoFactorViewPath })
    redirect(`${loginRoute}?redirect=${encodeURIComponent(back)}`)
  }
  const user = req.user as typeof req.user & { twoFactorEnabled?: boolean | null }
  const options = readTwoFactorOptions(req.payload)
  return (
    <MinimalTemplate className="two-factor">
      <EnrolmentPanel
        adminHref={adminRoute}
        collectionSlug={options.collection}
        isEnabled={Boolean(user.twoFactorEnabled)}
        isRequired={isTwoFactorRequiredFor({ user, ...options })}
      />
    </MinimalTemplate>
  )
}
