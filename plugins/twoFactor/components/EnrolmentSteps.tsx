'use client'

import { Banner, Button } from '@payloadcms/ui'
import React from 'react'

import { LabelledInput } from './LabelledInput'

export type Enrolment = { otpauthUri: string; qrCodeDataUrl: string; manualEntryKey: string }

type FormEventHandler = (event: React.FormEvent) => void

/** Two-factor is off: explains it and offers to start the set-up. */
export const OffStep: React.FC<{ isBusy: boolean; onStart: () => void }> = ({
  isBusy,
  onStart,
}) => (
  <>
    <p>
      After you turn it on, logging in needs your password and a 6-digit code from an authenticator
      app on your phone.
    </p>
    <Button disabled={isBusy} onClick={onStart}>
      Set up two-factor authentication
    </Button>
  </>
)

/** The pending secret as a QR code and a key, and the code that confirms the app has it. */
export const ScanningStep: React.FC<{
  code: string
  enrolment: Enrolment
  isBusy: boolean
  onCodeChange: (code: string) => void
  onSubmit: FormEventHandler
}> = ({ code, enrolment, isBusy, onCodeChange, onSubmit }) => (
  <form onSubmit={onSubmit}>
    <p>1. Scan this QR code with your authenticator app.</p>
    <img
      alt="QR code for your authenticator app"
      className="two-factor__qr"
      height={240}
      src={enrolment.qrCodeDataUrl}
      width={240}
    />
    <p>
      Cannot scan it? Enter this key instead:{' '}
      <code className="two-factor__manual-key">{enrolment.manualEntryKey}</code>
    </p>
    <p>2. Enter the 6-digit code the app shows.</p>
    <LabelledInput
      autoComplete="one-time-code"
      id="field-two-factor-code"
      label="Code"
      onChange={onCodeChange}
      type="text"
      value={code}
    />
    <Button disabled={isBusy || !code} type="submit">
      Confirm and turn on
    </Button>
  </form>
)

/** The backup codes, shown once right after enrolment. */
export const BackupCodesStep: React.FC<{ adminHref: string; backupCodes: string[] }> = ({
  adminHref,
  backupCodes,
}) => (
  <>
    <Banner type="success">Two-factor authentication is on.</Banner>
    <p>
      Save these backup codes somewhere safe. Each one logs you in once if you lose your phone. They
      are not shown again.
    </p>
    <ul className="two-factor__backup-codes">
      {backupCodes.map((backupCode) => (
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
)

/** Two-factor is on: turning it off takes a current code, a backup code or the password. */
export const OnStep: React.FC<{
  adminHref: string
  code: string
  isBusy: boolean
  onCodeChange: (code: string) => void
  onPasswordChange: (password: string) => void
  onSubmit: FormEventHandler
  password: string
}> = ({ adminHref, code, isBusy, onCodeChange, onPasswordChange, onSubmit, password }) => (
  <form onSubmit={onSubmit}>
    <p>Two-factor authentication is on for your account.</p>
    <p>To turn it off, confirm it is you with a current code, a backup code, or your password.</p>
    <LabelledInput
      autoComplete="one-time-code"
      id="field-two-factor-code"
      label="Code or backup code"
      onChange={onCodeChange}
      type="text"
      value={code}
    />
    <LabelledInput
      autoComplete="current-password"
      id="field-two-factor-password"
      label="Or your password"
      onChange={onPasswordChange}
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
)
