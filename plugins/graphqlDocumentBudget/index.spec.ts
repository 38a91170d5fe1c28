import type { CollectionConfig, Config, PayloadRequest, SanitizedConfig } from 'payload'
import { describe, expect, it } from 'vitest'

import { documentLimitErrorName, graphQLDocumentBudgetPlugin } from './'

const existingHook = () => undefined
const incoming = {
  collections: [
    { slug: 'items', fields: [], hooks: { beforeOperation: [existingHook] } },
  ] as CollectionConfig[],
} as Config

const config = graphQLDocumentBudgetPlugin({ maxDocuments: 5 })(incoming) as Config
const hooks = config.collections![0].hooks!
const beforeRead = hooks.beforeOperation![1] as (args: unknown) => unknown
const afterRead = hooks.afterOperation![0] as (args: unknown) => unknown

/** A sanitized config holding one join into `items`, as Payload hands it to hooks. */
const sanitizedConfig = {
  collections: [
    {
      slug: 'categories',
      flattenedFields: [{ name: 'items', type: 'join', collection: 'items', defaultLimit: 40 }],
    },
  ],
} as unknown as SanitizedConfig

const request = (payloadAPI: PayloadRequest['payloadAPI']) =>
  ({ payloadAPI, context: {}, payload: { config: sanitizedConfig } }) as unknown as PayloadRequest

const find = (req: PayloadRequest, documents: number, overrideAccess = false) =>
  afterRead({
    args: { overrideAccess },
    operation: 'find',
    req,
    result: { docs: Array.from({ length: documents }, (_, id) => ({ id })) },
  })

const read = (req: PayloadRequest, args: Record<string, unknown> = {}) =>
  beforeRead({ args, collection: { slug: 'items' }, operation: 'read', req })

describe('graphQLDocumentBudgetPlugin', () => {
  it('should add its hooks after the existing ones without changing the input', () => {
    expect(hooks.beforeOperation).toHaveLength(2)
    expect(hooks.beforeOperation![0]).toBe(existingHook)
    expect(incoming.collections![0].hooks!.beforeOperation).toHaveLength(1)
    expect(incoming.collections![0].hooks!.afterOperation).toBeUndefined()
  })

  it('should refuse the read that takes a GraphQL request past the limit, and every one after', () => {
    const req = request('GraphQL')
    find(req, 3)
    expect(() => find(req, 3)).toThrow(expect.objectContaining({ name: documentLimitErrorName }))
    expect(() => read(req)).toThrow(expect.objectContaining({ status: 400 }))
  })

  it('should count neither REST, the Local API, nor reads that override access', () => {
    for (const req of [request('REST'), request('local')]) {
      expect(() => find(req, 6)).not.toThrow()
    }
    const req = request('GraphQL')
    expect(() => find(req, 6, true)).not.toThrow()
    expect(() => find(req, 5)).not.toThrow()
  })

  it("should give a GraphQL join without limit the join's default page size", () => {
    expect(read(request('GraphQL'), { limit: 0, pagination: false })).toEqual({
      limit: 40,
      pagination: false,
    })
    expect(read(request('GraphQL'), { limit: 11 })).toEqual({ limit: 11 })
    expect(read(request('REST'), { limit: 0 })).toEqual({ limit: 0 })
  })
})
