import type { AdminViewServerProps } from 'payload'

import { Logo } from '@payloadcms/next/rsc'
import { redirect } from 'next/navigation'
import { getSafeRedirect } from 'payload/shared'
import React from 'react'

import { TwoFactorLoginForm } from './TwoFactorLoginForm'

/**
 * Replaces the admin's login view (same layout and class names) so the form can ask for the
 * two-factor code. Signing in stays one stateless request to POST /api/users/login: the form adds
 * the code once the server has answered that the account needs one.
 */
export const LoginView = ({ initPageResult, params, searchParams }: AdminViewServerProps) => {
  const { locale, permissions, req } = initPageResult
  const redirectTo = getSafeRedirect({
    fallbackTo: req.payload.config.routes.admin,
    redirectTo: typeof searchParams?.redirect === 'string' ? searchParams.redirect : '',
  })
  if (req.user) redirect(redirectTo)
  return (
    <>
      <div className="login__brand">
        <Logo
          i18n={req.i18n}
          locale={locale}
          params={params}
          payload={req.payload}
          permissions={permissions}
          searchParams={searchParams}
          user={req.user ?? undefined}
        />
      </div>
      <TwoFactorLoginForm redirectTo={redirectTo} />
    </>
  )
}
