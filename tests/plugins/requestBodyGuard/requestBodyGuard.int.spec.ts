import { ValidationError, type CollectionConfig, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { requestBodyGuardPlugin } from '../../../plugins/requestBodyGuard'
import {
  createPluginFixture,
  fixturePostsCollection,
  fixtureUsersCollection,
  type PluginFixture,
} from '../pluginFixture'

// The fixture's slugs are not this app's, whose generated types Payload's API is typed with.
const things = 'things' as CollectionSlug
const posts = 'posts' as CollectionSlug

/** One field of each type the guard checks, on a collection any signed-in user may write. */
const thingsCollection: CollectionConfig = {
  slug: 'things',
  access: { create: ({ req }) => Boolean(req.user), update: ({ req }) => Boolean(req.user) },
  fields: [
    { name: 'title', type: 'text' },
    { name: 'count', type: 'number', min: 0, max: 10 },
    { name: 'isDone', type: 'checkbox' },
    { name: 'dueAt', type: 'date' },
    { name: 'colour', type: 'select', options: ['red', 'green'] },
    { name: 'post', type: 'relationship', relationTo: posts },
    { name: 'tags', type: 'text', hasMany: true },
    { name: 'meta', type: 'group', fields: [{ name: 'note', type: 'text' }] },
    { name: 'rows', type: 'array', fields: [{ name: 'label', type: 'text' }] },
  ],
}

let fixture: PluginFixture
let user: Awaited<ReturnType<PluginFixture['payload']['create']>>
let postId: number | string

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: 'request_body_guard',
    config: {
      collections: [fixturePostsCollection, fixtureUsersCollection, thingsCollection],
      plugins: [requestBodyGuardPlugin()],
    },
  })
  user = await fixture.payload.create({
    collection: 'users' as CollectionSlug,
    data: { email: 'guard@example.com', password: 'a long enough password' } as never,
  })
  postId = (await fixture.payload.create({ collection: posts, data: { title: 'A post' } as never }))
    .id
})

afterAll(async () => {
  await fixture?.dispose()
})

/** Writes as a client would: the Local API with access control, as the signed-in user. */
const createAsClient = (data: Record<string, unknown>) =>
  fixture.payload.create({
    collection: things,
    data: data as never,
    overrideAccess: false,
    user: { ...user, collection: 'users' } as never,
  })

const countThings = async () => (await fixture.payload.count({ collection: things })).totalDocs

describe('requestBodyGuardPlugin on a fixture config holding it alone', () => {
  it('should let a well-typed write through', async () => {
    const thing = await createAsClient({
      title: 'Fine',
      count: 3,
      isDone: false,
      dueAt: '2026-01-31T12:00:00.000Z',
      colour: 'red',
      post: postId,
      tags: ['a', 'b'],
      meta: { note: 'x' },
      rows: [{ label: 'y' }],
    })
    expect(thing.id).toBeDefined()
  })

  it.each([
    ['text as a number', { title: 5 }, 'title'],
    ['text as an object', { title: { first: 'a' } }, 'title'],
    ['a number as letters', { count: 'abc' }, 'count'],
    ['a number past its maximum', { count: 11 }, 'count'],
    ['a number below its minimum', { count: -1 }, 'count'],
    ['a checkbox as text', { isDone: 'yes' }, 'isDone'],
    ['a date as letters', { dueAt: 'soon' }, 'dueAt'],
    ['an unknown option', { colour: 'blue' }, 'colour'],
    ['a relationship as letters', { post: 'abc' }, 'post'],
    ['a relationship past int4', { post: 2_147_483_648 }, 'post'],
    ['a relationship to no document', { post: 2_147_483_647 }, 'post'],
    ['hasMany text as a string', { tags: 'a,b' }, 'tags'],
    ['a group as text', { meta: 'x' }, 'meta'],
    ['a group field of the wrong type', { meta: { note: 1 } }, 'meta.note'],
    ['an array row field of the wrong type', { rows: [{ label: 2 }] }, 'rows.0.label'],
  ])(
    'should refuse %s with a 400 ValidationError naming the field, writing nothing',
    async (_label, data, path) => {
      const before = await countThings()
      const error = await createAsClient({ title: 'Bad', ...data }).catch(
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(ValidationError)
      const validationError = error as ValidationError
      expect(validationError.status).toBe(400)
      expect(validationError.data.errors.map((entry) => entry.path)).toContain(path)
      expect(await countThings()).toBe(before)
    },
  )
})
