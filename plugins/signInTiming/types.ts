export type SignInTimingPluginOptions = {
  /**
   * When false, sign-in answers are left as Payload times them; the plugin adds no schema.
   * @default true
   */
  isEnabled?: boolean
  /**
   * The shortest time, in milliseconds, a forgot-password request is answered in. It must exceed
   * what storing a reset token and sending the email take for an existing account; raise it for a
   * slow email transport.
   * @default 300
   */
  forgotPasswordMinimumMs?: number
  /**
   * The work done for a login naming no account, given the password it sent. Replace it only if
   * your app hashes passwords otherwise than Payload does.
   * @default a PBKDF2 check against a stand-in hash with Payload's current parameters
   */
  checkPassword?: (password: string) => Promise<void>
}

export type SanitizedSignInTimingOptions = Required<SignInTimingPluginOptions>
