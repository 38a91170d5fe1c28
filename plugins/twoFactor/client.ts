'use client'

/** The plugin's client components for the admin panel (the package's `./client` export). */
export { EnrolmentPanel } from './components/EnrolmentPanel'
export { EnrolmentRedirectClient } from './components/EnrolmentRedirectClient'
export { LabelledInput } from './components/LabelledInput'
export { TwoFactorAccountLink } from './components/TwoFactorAccountLink'
export { TwoFactorLoginForm } from './components/TwoFactorLoginForm'
