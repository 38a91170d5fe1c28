'use client'

import { Button, Link, toast, useConfig, useTranslation } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React, { useState } from 'react'

import { postJson, readErrorOf } from './api'
import { LabelledInput } from './LabelledInput'

type Props = { redirectTo: string }

type Credentials = { email: string; password: string; totp: string }

export const TwoFactorLoginForm: React.FC<Props> = ({ redirectTo }) => {
  const {
    config: {
      admin: {
        routes: { forgot: forgotRoute },
        user: userSlug,
      },
      routes: { admin: adminRoute, api: apiRoute },
    },
  } = useConfig()
  const { t } = useTranslation()
  const [credentials, setCredentials] = useState<Credentials>({ email: '', password: '', totp: '' })
  const [isCodeNeeded, setIsCodeNeeded] = useState(false)
  const [isSubmitting, setIsSubmitting] = useState(false)

  /** The props every credential input shares; its id (`#field-totp` …) is derived from the name. */
  const bindCredential = (name: keyof Credentials) => ({
    id: `field-${name}`,
    isRequired: true,
    name,
    onChange: (value: string) => setCredentials((current) => ({ ...current, [name]: value })),
    value: credentials[name],
  })

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setIsSubmitting(true)
    try {
      const { email, password, totp } = credentials
      const response = await postJson(
        formatAdminURL({ apiRoute, path: `/${userSlug}/login` }),
        isCodeNeeded ? { email, password, totp } : { email, password },
      )
      if (response.ok) {
        // A full navigation, so every server component renders with the new session cookie.
        window.location.assign(redirectTo)
        return
      }
      const error = await readErrorOf(response)
      if (error.data?.twoFactorRequired) {
        setIsCodeNeeded(true)
        setCredentials((current) => ({ ...current, totp: '' }))
        // The first answer only means "this account needs a code": ask, do not scold.
        if (isCodeNeeded) toast.error(error.message)
        return
      }
      toast.error(error.message)
    } finally {
      setIsSubmitting(false)
    }
  }

  return (
    <form className="login__form" method="POST" onSubmit={submit}>
      <div className="login__form__inputWrap">
        <LabelledInput
          {...bindCredential('email')}
          autoComplete="email"
          label={t('general:email')}
          type="email"
        />
        <LabelledInput
          {...bindCredential('password')}
          autoComplete="current-password"
          label={t('general:password')}
          type="password"
        />
        {isCodeNeeded && (
          <>
            <p className="two-factor-login__hint">
              Enter the 6-digit code from your authenticator app, or one of your backup codes.
            </p>
            <LabelledInput
              {...bindCredential('totp')}
              autoComplete="one-time-code"
              inputMode="numeric"
              label="Two-factor code"
              type="text"
            />
          </>
        )}
      </div>
      <Link href={formatAdminURL({ adminRoute, path: forgotRoute })} prefetch={false}>
        {t('authentication:forgotPasswordQuestion')}
      </Link>
      <Button disabled={isSubmitting} size="large" type="submit">
        {isCodeNeeded ? 'Verify and log in' : t('authentication:login')}
      </Button>
    </form>
  )
}
