'use client'

import { FieldLabel } from '@payloadcms/ui'
import React from 'react'

type Props = {
  /** The input's id, which the label points at (`#field-…`, as in Payload's own forms). */
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  type: 'email' | 'password' | 'text'
  autoComplete: string
  name?: string
  inputMode?: 'numeric' | 'text'
  isRequired?: boolean
}

/** A text input with its label, in the markup and class names of Payload's admin fields. */
export const LabelledInput: React.FC<Props> = ({
  id,
  label,
  value,
  onChange,
  type,
  autoComplete,
  name,
  inputMode,
  isRequired = false,
}) => (
  <div className={`field-type ${type}`}>
    <FieldLabel htmlFor={id} label={label} required={isRequired} />
    <div className="field-type__wrap">
      <input
        autoComplete={autoComplete}
        id={id}
        inputMode={inputMode}
        name={name}
        onChange={(event) => onChange(event.target.value)}
        required={isRequired}
        type={type}
        value={value}
      />
    </div>
  </div>
)
