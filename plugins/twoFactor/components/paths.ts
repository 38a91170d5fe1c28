/** Where the enrolment view lives under the admin route. */
export const twoFactorViewPath = '/two-factor'
