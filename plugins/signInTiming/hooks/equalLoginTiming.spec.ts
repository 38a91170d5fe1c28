import type { PayloadRequest } from 'payload'
import { describe, expect, it, vi } from 'vitest'

import { getEqualLoginTimingHook } from './equalLoginTiming'
import { checkAgainstStandIn } from '../utilities/standInPassword'

// The real check takes a few hundred milliseconds; here it only has to be called.
vi.mock('../utilities/standInPassword', () => ({
  checkAgainstStandIn: vi.fn(async () => undefined),
}))

type HookArgs = Parameters<ReturnType<typeof getEqualLoginTimingHook>>[0]

/** A request whose database knows the given emails; records what was looked up. */
const fakeRequest = (knownEmails: string[], payloadAPI: PayloadRequest['payloadAPI'] = 'REST') => {
  const lookedUp: unknown[] = []
  const findOne = async ({ where }: { where: { email: { equals: string } } }) => {
    lookedUp.push(where)
    return knownEmails.includes(where.email.equals) ? { id: 1 } : null
  }
  const req = { payloadAPI, payload: { db: { findOne } } } as unknown as PayloadRequest
  return { req, lookedUp }
}

const runHook = async ({
  data,
  operation = 'login',
  known = ['editor@example.test'],
  payloadAPI,
}: {
  data: Record<string, unknown>
  operation?: string
  known?: string[]
  payloadAPI?: PayloadRequest['payloadAPI']
}) => {
  const checkPassword = vi.fn(async () => undefined)
  const { req, lookedUp } = fakeRequest(known, payloadAPI)
  const args = { data }
  const result = await getEqualLoginTimingHook({ checkPassword })({
    args,
    collection: { slug: 'users' },
    context: {},
    operation,
    req,
  } as unknown as HookArgs)
  return { checkPassword, lookedUp, result, args }
}

describe('equal login timing', () => {
  it('should check the password against the stand-in when no account has the email', async () => {
    const { checkPassword, result, args } = await runHook({
      data: { email: 'nobody@example.test', password: 'a-guess' },
    })
    expect(checkPassword).toHaveBeenCalledOnce()
    expect(checkPassword).toHaveBeenCalledWith('a-guess')
    expect(result).toBe(args)
  })

  it('should leave the check to Payload when the account exists, found as Payload finds it', async () => {
    const { checkPassword, lookedUp } = await runHook({
      data: { email: '  Editor@Example.TEST ', password: 'a-guess' },
    })
    expect(lookedUp).toEqual([{ email: { equals: 'editor@example.test' } }])
    expect(checkPassword).not.toHaveBeenCalled()
  })

  it('should do nothing for logins Payload refuses before any check, other operations and the Local API', async () => {
    for (const call of [
      { data: { email: 'nobody@example.test' } },
      { data: { email: 'nobody@example.test', password: '   ' } },
      { data: { password: 'a-guess' } },
      { data: { email: 5, password: 'a-guess' } },
      { data: { email: 'nobody@example.test' }, operation: 'forgotPassword' },
      { data: { email: 'nobody@example.test', password: 'a-guess' }, payloadAPI: 'local' as const },
    ]) {
      const { checkPassword, lookedUp } = await runHook(call)
      expect(checkPassword).not.toHaveBeenCalled()
      expect(lookedUp).toEqual([])
    }
  })

  it('should run the password hash itself by default, against the stand-in', async () => {
    const { req } = fakeRequest([])
    await getEqualLoginTimingHook()({
      args: { data: { email: 'nobody@example.test', password: 'a-guess' } },
      collection: { slug: 'users' },
      context: {},
      operation: 'login',
      req,
    } as unknown as HookArgs)
    // utilities/standInPassword.spec.ts checks what it derives: Payload's hash, with its parameters.
    expect(checkAgainstStandIn).toHaveBeenCalledWith('a-guess')
  })
})
