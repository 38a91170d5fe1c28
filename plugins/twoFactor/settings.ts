import type { Payload } from 'payload'

import { hasAdminRole } from '../../src/config/access'

// The admin's client components use this module too: it imports nothing that needs the server
// (src/config/access imports types only).

export type TwoFactorSettings = {
  /** REQUIRE_2FA_FOR_ADMINS: admins can do nothing but enrol until two-factor is on. */
  isRequiredForAdmins: boolean
}

/**
 * Where the plugin leaves its settings: in `admin.custom`, which Payload hands to the admin panel
 * as well (the server reads it from `payload.config.admin.custom`).
 */
export const twoFactorSettingsKey = 'twoFactor'

/** The settings from `admin.custom`, on the server or from the admin's client config. */
export const readTwoFactorSettings = (
  adminCustom: Record<string, unknown> | undefined,
): TwoFactorSettings => {
  const stored = adminCustom?.[twoFactorSettingsKey] as Partial<TwoFactorSettings> | undefined
  return { isRequiredForAdmins: Boolean(stored?.isRequiredForAdmins) }
}

export const getTwoFactorSettings = (payload: Payload): TwoFactorSettings =>
  readTwoFactorSettings(payload.config.admin.custom)

type MaybeUser = {
  collection?: string
  role?: string | null
  twoFactorEnabled?: boolean | null
} | null

type RequirementArgs = TwoFactorSettings & {
  user: MaybeUser | undefined
  /** The auth collection whose admins the requirement covers. */
  usersSlug: string
}

/** With REQUIRE_2FA_FOR_ADMINS on, an admin of the users collection must use two-factor. */
export const isTwoFactorRequiredFor = ({
  user,
  isRequiredForAdmins,
  usersSlug,
}: RequirementArgs): boolean =>
  isRequiredForAdmins && user?.collection === usersSlug && hasAdminRole(user)

/** An admin who has not turned on two-factor authentication while REQUIRE_2FA_FOR_ADMINS is on. */
export const isAwaitingTwoFactorEnrolment = (args: RequirementArgs): boolean =>
  isTwoFactorRequiredFor(args) && !args.user?.twoFactorEnabled
