'use client'

import { useAuth, useConfig, useDocumentInfo } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { twoFactorViewPath } from './paths'

/**
 * Under the read-only "two factor enabled" checkbox: a link to the enrolment view, shown on one's
 * own account only, because nobody can set up or turn off someone else's second factor.
 */
export const TwoFactorAccountLink: React.FC = () => {
  const { user } = useAuth()
  const { id } = useDocumentInfo()
  const {
    config: {
      routes: { admin: adminRoute },
    },
  } = useConfig()
  if (!user || id === undefined || String(user.id) !== String(id)) return null
  return (
    <a
      className="two-factor-account-link"
      href={formatAdminURL({ adminRoute, path: twoFactorViewPath })}
    >
      Manage two-factor authentication
    </a>
  )
}
