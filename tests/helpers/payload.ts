import config from '@payload-config'
import { getPayload, type Payload } from 'payload'

import { collectionSlugs } from '../../collections/slugs'
import type { User } from '../../payload-types'
import { closePayload } from '../../src/database/closePayload'

export { config }

/** The Payload instance for one test file; migrations run on first init (NODE_ENV=test). */
export const initPayload = (): Promise<Payload> => getPayload({ config })

export { closePayload }

let uniqueCounter = 0

/** A name no other test in this run uses, so files can share one database. */
export const uniqueName = (prefix: string): string =>
  `${prefix} ${Date.now().toString(36)}${(uniqueCounter++).toString(36)}`

export const testPassword = 'correct-horse-battery-staple'

type CreateUserArgs = { payload: Payload; role: 'admin' | 'editor' }

export const createUser = async ({ payload, role }: CreateUserArgs): Promise<User> =>
  payload.create({
    collection: collectionSlugs.users,
    data: {
      email: `${role}-${Date.now()}-${uniqueCounter++}@example.test`,
      password: testPassword,
      role,
      name: `Test ${role}`,
    },
    overrideAccess: true,
  })

/**
 * Payload's count of failed logins of a user, read past the API (which hides it): how many
 * passwords or codes it actually checked.
 */
export const readLoginAttempts = async (payload: Payload, user: Pick<User, 'id'>) => {
  const stored = await payload.db.findOne<{ id: number; loginAttempts?: number | null }>({
    collection: collectionSlugs.users,
    where: { id: { equals: user.id } },
  })
  return stored?.loginAttempts ?? 0
}
