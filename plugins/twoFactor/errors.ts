import { APIError } from 'payload'

/**
 * An APIError whose name and message reach the client in a production build: bundlers leave
 * class names empty or mangled, and Payload's REST answer drops the message of an error that has
 * neither a name nor data. The name is set explicitly for that reason.
 */
export const twoFactorError = (message: string, status: number): APIError => {
  const error = new APIError(message, status, null, true)
  error.name = 'TwoFactorError'
  return error
}

/** Thrown at login when the second factor is missing or wrong: 401, which rate limits and
 * Payload's lockout count as a failed sign-in. `twoFactorRequired` tells the login form to ask. */
export class SecondFactorRequiredError extends APIError<{ twoFactorRequired: true }> {
  constructor(message: string) {
    super(message, 401, { twoFactorRequired: true }, true)
    this.name = 'SecondFactorRequiredError'
  }
}

/**
 * Thrown at login when no code can ever be right because the enrolment cannot be read. A 403, not
 * a 401: neither Payload's lockout nor a per-account rate limit counts it (the password was right,
 * and guessing codes is pointless), so the user keeps seeing this message rather than "Too many
 * sign-in attempts". Only an admin can help, and the message says so.
 */
export class UnreadableEnrolmentError extends APIError {
  constructor() {
    super(
      'Your two-factor enrolment cannot be read on this server, so no code can be accepted; ask an admin to reset it. You then sign in with your password alone and set up two-factor again.',
      403,
      null,
      true,
    )
    this.name = 'UnreadableEnrolmentError'
  }
}

/** Thrown at an admin who must enrol first (`isRequiredForAdmins`), on any API request. */
export class TwoFactorEnrolmentRequiredError extends APIError<{
  twoFactorEnrolmentRequired: true
}> {
  constructor({ adminViewUrl, apiUrl }: { adminViewUrl: string; apiUrl: string }) {
    super(
      `Admins must turn on two-factor authentication before doing anything else. Set it up in the admin under ${adminViewUrl}, or with POST ${apiUrl}/2fa/setup and POST ${apiUrl}/2fa/confirm.`,
      403,
      { twoFactorEnrolmentRequired: true },
      true,
    )
    this.name = 'TwoFactorEnrolmentRequiredError'
  }
}
