import { handleEndpoints, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

import { signInTimingPlugin } from '../../../plugins/signInTiming'
import { checkAgainstStandIn } from '../../../plugins/signInTiming/utilities/standInPassword'
import type * as StandInPassword from '../../../plugins/signInTiming/utilities/standInPassword'
import { createPluginFixture, fixtureUsersCollection, type PluginFixture } from '../pluginFixture'

// The real stand-in check still runs; the spy only records that it did (no timing is asserted).
vi.mock('../../../plugins/signInTiming/utilities/standInPassword', async (importOriginal) => {
  const original = await importOriginal<StandInPasswordModule>()
  return { ...original, checkAgainstStandIn: vi.fn(original.checkAgainstStandIn) }
})

type StandInPasswordModule = typeof StandInPassword

const fixtureName = 'sign_in_timing'
const users = 'users' as CollectionSlug
const knownEmail = 'known@example.test'

let fixture: PluginFixture

const post = (path: string, body: Record<string, unknown>) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost:3000/api/users/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

const answerOf = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as unknown,
})

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    // Its defaults: the stand-in PBKDF2 check, a 300 ms forgot-password floor.
    config: { collections: [fixtureUsersCollection], plugins: [signInTimingPlugin()] },
  })
  await fixture.payload.create({
    collection: users,
    data: { email: knownEmail, password: 'the-right-password-1' } as never,
  })
})

beforeEach(() => {
  vi.mocked(checkAgainstStandIn).mockClear()
})

afterAll(async () => {
  await fixture?.dispose()
})

describe('signInTimingPlugin alone', () => {
  it('should check the password of a login for an unknown email, answering as for a wrong one', async () => {
    const unknown = await answerOf(
      await post('login', { email: 'nobody@example.test', password: 'a-guess' }),
    )
    expect(checkAgainstStandIn).toHaveBeenCalledExactlyOnceWith('a-guess')
    const wrong = await answerOf(await post('login', { email: knownEmail, password: 'a-guess' }))
    expect(unknown.status).toBe(401)
    expect(unknown).toEqual(wrong)
  })

  it('should leave the check to Payload for an existing account and a right password', async () => {
    const response = await post('login', { email: knownEmail, password: 'the-right-password-1' })
    expect(response.status).toBe(200)
    expect(checkAgainstStandIn).not.toHaveBeenCalled()
  })

  it('should leave Local API logins alone', async () => {
    await expect(
      fixture.payload.login({
        collection: users,
        data: { email: 'nobody@example.test', password: 'a-guess' },
      }),
    ).rejects.toMatchObject({ status: 401 })
    expect(checkAgainstStandIn).not.toHaveBeenCalled()
  })

  it('should answer forgot-password the same for an unknown email and an account', async () => {
    const unknown = await answerOf(await post('forgot-password', { email: 'nobody@example.test' }))
    const known = await answerOf(await post('forgot-password', { email: knownEmail }))
    expect(unknown.status).toBe(200)
    expect(unknown).toEqual(known)
  })
})
