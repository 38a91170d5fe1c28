'use client'

import { Banner, Button, toast, useConfig } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React, { useState } from 'react'

import { postJson, readErrorOf } from './api'
import { LabelledInput } from './LabelledInput'

type Props = {
  adminHref: string
  isEnabled: boolean
  /** The signed-in admin cannot use the admin until this is done (REQUIRE_2FA_FOR_ADMINS). */
  isRequired: boolean
}

type Enrolment = { otpauthUri: string; qrCodeDataUrl: string; manualEntryKey: string }

type Step =
  | { name: 'off' }
  | { name: 'scanning'; enrolment: Enrolment }
  | { name: 'backup-codes'; backupCodes: string[] }
  | { name: 'on' }

export const EnrolmentPanel: React.FC<Props> = ({ adminHref, isEnabled, isRequired }) => {
  const {
    config: {
      admin: { user: userSlug },
      routes: { api: apiRoute },
    },
  } = useConfig()
  const [step, setStep] = useState<Step>(isEnabled ? { name: 'on' } : { name: 'off' })
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [isBusy, setIsBusy] = useState(false)

  const call = async (
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown> | undefined> => {
    setIsBusy(true)
    try {
      const response = await postJson(
        formatAdminURL({ apiRoute, path: `/${userSlug}${path}` }),
        body,
      )
      if (response.ok) return (await response.json()) as Record<string, unknown>
      toast.error((await readErrorOf(response)).message)
      return undefined
    } finally {
      setIsBusy(false)
    }
  }

  const startSetup = async () => {
    const enrolment = (await call('/2fa/setup')) as Enrolment | undefined
    if (enrolment) setStep({ name: 'scanning', enrolment })
  }

  const confirm = async (event: React.FormEvent) => {
    event.preventDefault()
    const result = await call('/2fa/confirm', { code })
    setCode('')
    if (result) setStep({ name: 'backup-codes', backupCodes: result.backupCodes as string[] })
  }

  const disable = async (event: React.FormEvent) => {
    event.preventDefault()
    const result = await call('/2fa/disable', password ? { password } : { code })
    setCode('')
    setPassword('')
    if (result) {
      toast.success('Two-factor authentication is off.')
      setStep({ name: 'off' })
    }
  }

  return (
    <div className="two-factor__panel">
      <h1>Two-factor authentication</h1>
      {isRequired && step.name !== 'backup-codes' && step.name !== 'on' && (
        <Banner type="info">
          Admins must turn on two-factor authentication before they can use the admin.
        </Banner>
      )}

      {step.name === 'off' && (
        <>
          <p>
            After you turn it on, logging in needs your password and a 6-digit code from an
            authenticator app on your phone.
          </p>
          <Button disabled={isBusy} onClick={startSetup}>
            Set up two-factor authentication
          </Button>
        </>
      )}

      {step.name === 'scanning' && (
        <form onSubmit={confirm}>
          <p>1. Scan this QR code with your authenticator app.</p>
          <img
            alt="QR code for your authenticator app"
            className="two-factor__qr"
            height={240}
            src={step.enrolment.qrCodeDataUrl}
            width={240}
          />
          <p>
            Cannot scan it? Enter this key instead:{' '}
            <code className="two-factor__manual-key">{step.enrolment.manualEntryKey}</code>
          </p>
          <p>2. Enter the 6-digit code the app shows.</p>
          <LabelledInput
            autoComplete="one-time-code"
            id="field-two-factor-code"
            label="Code"
            onChange={setCode}
            type="text"
            value={code}
          />
          <Button disabled={isBusy || !code} type="submit">
            Confirm and turn on
          </Button>
        </form>
      )}

      {step.name === 'backup-codes' && (
        <>
          <Banner type="success">Two-factor authentication is on.</Banner>
          <p>
            Save these backup codes somewhere safe. Each one logs you in once if you lose your
            phone. They are not shown again.
          </p>
          <ul className="two-factor__backup-codes">
            {step.backupCodes.map((backupCode) => (
              <li key={backupCode}>
                <code>{backupCode}</code>
              </li>
            ))}
          </ul>
          {/* A full page load, so the admin sees the account with two-factor on. */}
          <a className="btn btn--style-primary btn--size-medium" href={adminHref}>
            I have saved them — continue
          </a>
        </>
      )}

      {step.name === 'on' && (
        <form onSubmit={disable}>
          <p>Two-factor authentication is on for your account.</p>
          <p>
            To turn it off, confirm it is you with a current code, a backup code, or your password.
          </p>
          <LabelledInput
            autoComplete="one-time-code"
            id="field-two-factor-code"
            label="Code or backup code"
            onChange={setCode}
            type="text"
            value={code}
          />
          <LabelledInput
            autoComplete="current-password"
            id="field-two-factor-password"
            label="Or your password"
            onChange={setPassword}
            type="password"
            value={password}
          />
          <Button buttonStyle="secondary" disabled={isBusy || !(code || password)} type="submit">
            Turn off two-factor authentication
          </Button>
          <p>
            <a href={adminHref}>Back to the admin</a>
          </p>
        </form>
      )}
    </div>
  )
}
