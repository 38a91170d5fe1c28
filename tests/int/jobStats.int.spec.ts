import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { jobStatsGlobalSlug } from '../../src/config/jobStatsAccess'
import { graphql, loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword } from '../helpers/payload'

/**
 * The audit log's retention job has a schedule, so Payload adds its scheduling statistics global.
 * Nobody may read or change it through the APIs; the scheduler itself still writes it.
 */
let payload: Payload
const tokens: Record<'editor' | 'admin', string> = { editor: '', admin: '' }

beforeAll(async () => {
  payload = await initPayload()
  for (const role of ['editor', 'admin'] as const) {
    const user = await createUser({ payload, role })
    tokens[role] = await loginToken(user.email, testPassword)
  }
})

afterAll(async () => {
  await closePayload(payload)
})

describe('the job scheduling statistics global', () => {
  it('should exist, because the retention job is scheduled', () => {
    expect(payload.config.globals.map((global) => global.slug)).toContain(jobStatsGlobalSlug)
  })

  it.each(['editor', 'admin'] as const)(
    'should refuse reads and updates over REST to an %s',
    async (role) => {
      const read = await rest('GET', `/api/globals/${jobStatsGlobalSlug}`, { token: tokens[role] })
      expect(read.status).toBe(403)
      const update = await rest('POST', `/api/globals/${jobStatsGlobalSlug}`, {
        token: tokens[role],
        body: { stats: { scheduledRuns: {} } },
      })
      expect(update.status).toBe(403)
    },
  )

  it('should refuse reads over GraphQL to an admin', async () => {
    const response = await graphql('{ PayloadJobsStat { stats } }', { token: tokens.admin })
    const body = (await response.json()) as { errors?: { message: string }[] }
    expect(body.errors?.[0]?.message).toMatch(/not allowed/i)
  })

  it('should still let the scheduler write it past access control', async () => {
    await payload.updateGlobal({
      slug: jobStatsGlobalSlug,
      data: { stats: { probe: true } },
      overrideAccess: true,
    })
    const stored = await payload.findGlobal({ slug: jobStatsGlobalSlug, overrideAccess: true })
    expect(stored.stats).toMatchObject({ probe: true })
  })
})
