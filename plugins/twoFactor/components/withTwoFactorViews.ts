import type { Config } from 'payload'

import { componentPath, twoFactorViewPath } from './paths'

/** The admin's login form that asks for the code, its enrolment view and the enrolment redirect. */
export const withTwoFactorViews = (admin: Config['admin']): Config['admin'] => ({
  ...admin,
  components: {
    ...admin?.components,
    providers: [...(admin?.components?.providers ?? []), componentPath('EnrolmentRedirect')],
    views: {
      ...admin?.components?.views,
      // Payload's login form sends email and password only; this one asks for the code when the
      // server answers that the account needs it.
      login: { Component: componentPath('LoginView'), path: '/login' },
      twoFactor: {
        Component: componentPath('EnrolmentView'),
        path: twoFactorViewPath,
        exact: true,
      },
    },
  },
})
