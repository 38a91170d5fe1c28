'use client'

import { Banner, toast } from '@payloadcms/ui'
import React, { useState } from 'react'

import { BackupCodesStep, OffStep, OnStep, ScanningStep, type Enrolment } from './EnrolmentSteps'
import { useTwoFactorRequest } from './useTwoFactorRequest'

type Props = {
  adminHref: string
  /** The auth collection whose /2fa/* endpoints the panel calls. */
  collectionSlug: string
  isEnabled: boolean
  /** The signed-in admin cannot use the admin until this is done (`isRequiredForAdmins`). */
  isRequired: boolean
}

type Step =
  | { name: 'off' }
  | { name: 'scanning'; enrolment: Enrolment }
  | { name: 'backup-codes'; backupCodes: string[] }
  | { name: 'on' }

export const EnrolmentPanel: React.FC<Props> = ({
  adminHref,
  collectionSlug,
  isEnabled,
  isRequired,
}) => {
  const { call, isBusy } = useTwoFactorRequest(collectionSlug)
  const [step, setStep] = useState<Step>(isEnabled ? { name: 'on' } : { name: 'off' })
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')

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
      {step.name === 'off' && <OffStep isBusy={isBusy} onStart={startSetup} />}
      {step.name === 'scanning' && (
        <ScanningStep
          code={code}
          enrolment={step.enrolment}
          isBusy={isBusy}
          onCodeChange={setCode}
          onSubmit={confirm}
        />
      )}
      {step.name === 'backup-codes' && (
        <BackupCodesStep adminHref={adminHref} backupCodes={step.backupCodes} />
      )}
      {step.name === 'on' && (
        <OnStep
          adminHref={adminHref}
          code={code}
          isBusy={isBusy}
          onCodeChange={setCode}
          onPasswordChange={setPassword}
          onSubmit={disable}
          password={password}
        />
      )}
    </div>
  )
}
