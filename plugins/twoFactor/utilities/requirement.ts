import type { SanitizedTwoFactorOptions, TwoFactorUser } from '../types'

type RequirementArgs = Pick<
  SanitizedTwoFactorOptions,
  'collection' | 'isAdmin' | 'isRequiredForAdmins'
> & {
  user: TwoFactorUser | null | undefined
}

/** With `isRequiredForAdmins` on, an admin of the plugin's collection must use two-factor. */
export const isTwoFactorRequiredFor = ({
  user,
  isRequiredForAdmins,
  collection,
  isAdmin,
}: RequirementArgs): boolean =>
  isRequiredForAdmins && Boolean(user) && user?.collection === collection && isAdmin(user)

/** An admin who has not turned on two-factor authentication while it is required for admins. */
export const isAwaitingTwoFactorEnrolment = (args: RequirementArgs): boolean =>
  isTwoFactorRequiredFor(args) &&
  !(args.user as { twoFactorEnabled?: boolean | null } | null | undefined)?.twoFactorEnabled
