import type { Payload, Where } from 'payload'
import * as qs from 'qs-esm'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { makeJpeg } from './images'
import { uniqueName } from './payload'
import type { SeededRandom } from './seededRandom'

/**
 * Random changes to the catalog, as editors make them, for randomised tests: made through the
 * Local API or over REST, drawn from a seeded generator so a run can be replayed.
 */

type CatalogCollection =
  typeof collectionSlugs.categories | typeof collectionSlugs.items | typeof collectionSlugs.media

export type DocumentData = Record<string, unknown>

/** A document as a change left it: what the state keeps of it. */
export type ChangedDocument = { id?: unknown; slug?: unknown }

/** What exists now: what the next change and the next requests may name. */
export type CatalogState = {
  categories: { id: number; slug: string }[]
  items: number[]
  media: number[]
}

export type CatalogMutation = { description: string } & (
  | { operation: 'create'; collection: CatalogCollection; data: DocumentData; isDraft: boolean }
  | {
      operation: 'update'
      collection: CatalogCollection
      id: number
      data: DocumentData
      /** Saved as a draft (`?draft=true`): a new version, the published document unchanged. */
      isDraft: boolean
    }
  | { operation: 'delete'; collection: CatalogCollection; id: number }
  /** Every document that matches `where`, at once (a bulk edit). */
  | { operation: 'updateMany'; collection: CatalogCollection; where: Where; data: DocumentData }
  | { operation: 'updateGlobal'; data: DocumentData }
)

const itemNames = ['Apple', 'banana', 'Cherry', 'Émile', 'zebra']
export const itemTags = ['red', 'green', 'sale']

/** About `expected` of `values`, each drawn on its own. */
const aFewOf = <T>(random: SeededRandom, values: readonly T[], expected: number): T[] =>
  values.filter(() => random.chance(expected / Math.max(values.length, 1)))

const randomItemData = (random: SeededRandom, { categories, media }: CatalogState) => ({
  name: uniqueName(random.pick(itemNames)),
  price: random.integer(5000),
  category: random.pick(categories).id,
  images: aFewOf(random, media, 2),
  tags: aFewOf(random, itemTags, 1),
  isAvailable: random.chance(0.8),
  sortOrder: random.integer(10),
})

/** Three images, four categories (one a draft), sixteen items (some drafts), the site settings. */
export const seedCatalog = async ({
  payload,
  random,
}: {
  payload: Payload
  random: SeededRandom
}): Promise<CatalogState> => {
  const data = await makeJpeg(64, 48)
  const state: CatalogState = { categories: [], items: [], media: [] }
  for (let index = 0; index < 3; index++) {
    const media = await payload.create({
      collection: collectionSlugs.media,
      data: { alt: uniqueName(`Random image ${index}`) },
      file: { data, mimetype: 'image/jpeg', name: `random-${index}.jpg`, size: data.length },
    })
    state.media.push(media.id)
  }
  for (let index = 0; index < 4; index++) {
    const category = await payload.create({
      collection: collectionSlugs.categories,
      data: {
        name: uniqueName(`Random category ${index}`),
        sortOrder: random.integer(5),
        image: index % 2 === 0 ? random.pick(state.media) : undefined,
        _status: index === 3 ? 'draft' : 'published',
      },
    })
    state.categories.push({ id: category.id, slug: String(category.slug) })
  }
  for (let index = 0; index < 16; index++) {
    const isDraft = index % 5 === 4
    const item = await payload.create({
      collection: collectionSlugs.items,
      draft: isDraft,
      data: { ...randomItemData(random, state), _status: isDraft ? 'draft' : 'published' },
    })
    state.items.push(item.id)
  }
  await payload.updateGlobal({
    slug: globalSlugs.siteSettings,
    data: { siteName: uniqueName('Random shop'), logo: state.media[0] },
  })
  return state
}

const update = (
  collection: CatalogCollection,
  id: number,
  data: DocumentData,
  description: string,
  isDraft = false,
): CatalogMutation => ({ description, operation: 'update', collection, id, data, isDraft })

/** A new value for one field, which any number of items may share. */
const sharedItemValues: ((random: SeededRandom) => DocumentData)[] = [
  (random) => ({ price: random.integer(5000) }),
  (random) => ({ isAvailable: random.chance(0.5) }),
  (random) => ({ sortOrder: random.integer(10) }),
]

/** A new value for one field of an item. */
const itemUpdates: ((random: SeededRandom, state: CatalogState) => DocumentData)[] = [
  ...sharedItemValues,
  (random) => ({ name: uniqueName(random.pick(itemNames)) }),
  (random, { media }) => ({ images: aFewOf(random, media, 2) }),
  (random) => ({ tags: aFewOf(random, itemTags, 1.5) }),
]

type MutationPlanner = (args: {
  random: SeededRandom
  state: CatalogState
  payload: Payload
}) => Promise<CatalogMutation | undefined> | CatalogMutation | undefined

/** Each with its weight: what editors do often comes up often. Undefined: not possible now. */
const mutationPlanners: [number, MutationPlanner][] = [
  [
    12,
    ({ random, state }) => {
      const isDraft = random.chance(0.3)
      const data = randomItemData(random, state)
      return {
        description: `create a ${isDraft ? 'draft' : 'published'} item in category ${data.category}`,
        operation: 'create',
        collection: collectionSlugs.items,
        isDraft,
        data: { ...data, _status: isDraft ? 'draft' : 'published' },
      }
    },
  ],
  [
    20,
    ({ random, state }) => {
      if (state.items.length === 0) return undefined
      const id = random.pick(state.items)
      const data = random.pick(itemUpdates)(random, state)
      return update(collectionSlugs.items, id, data, `update item ${id}: ${JSON.stringify(data)}`)
    },
  ],
  [
    6,
    ({ random, state }) => {
      if (state.items.length === 0) return undefined
      const id = random.pick(state.items)
      const data = random.pick(itemUpdates)(random, state)
      const description = `save a draft of item ${id}: ${JSON.stringify(data)}`
      return update(collectionSlugs.items, id, data, description, true)
    },
  ],
  [
    14,
    ({ random, state: { items } }) => {
      if (items.length === 0) return undefined
      const id = random.pick(items)
      const isPublishing = random.chance(0.5)
      const data = { _status: isPublishing ? 'published' : 'draft' }
      return update(
        collectionSlugs.items,
        id,
        data,
        `${isPublishing ? 'publish' : 'unpublish'} item ${id}`,
      )
    },
  ],
  [
    3,
    ({ random, state: { items } }) => {
      if (items.length === 0) return undefined
      const tag = random.pick(itemTags)
      const data = random.pick(sharedItemValues)(random)
      // Only this run's items: other tests' data is theirs.
      const where: Where = { and: [{ tags: { in: [tag] } }, { id: { in: items } }] }
      return {
        description: `update every item tagged ${tag}: ${JSON.stringify(data)}`,
        operation: 'updateMany',
        collection: collectionSlugs.items,
        where,
        data,
      }
    },
  ],
  [
    5,
    ({ random, state: { items } }) => {
      if (items.length === 0) return undefined
      const id = random.pick(items)
      return {
        description: `delete item ${id}`,
        operation: 'delete',
        collection: collectionSlugs.items,
        id,
      }
    },
  ],
  [
    10,
    ({ random, state: { items, categories } }) => {
      if (items.length === 0) return undefined
      const id = random.pick(items)
      const category = random.pick(categories).id
      return update(
        collectionSlugs.items,
        id,
        { category },
        `move item ${id} to category ${category}`,
      )
    },
  ],
  [
    6,
    ({ random, state: { categories } }) => {
      const { id } = random.pick(categories)
      const name = uniqueName(random.pick(['Garden', 'kitchen', 'Office', 'Ökologie']))
      return update(collectionSlugs.categories, id, { name }, `rename category ${id} to ${name}`)
    },
  ],
  [
    5,
    ({ random, state: { categories } }) => {
      const { id } = random.pick(categories)
      const slug = uniqueName('section').replace(/\W+/g, '-')
      const description = `change the slug of category ${id} to ${slug}`
      return update(collectionSlugs.categories, id, { slug }, description)
    },
  ],
  [
    4,
    ({ random, state: { categories, media } }) => {
      const { id } = random.pick(categories)
      const changes: (() => DocumentData)[] = [
        () => ({ _status: 'draft' }),
        () => ({ _status: 'published' }),
        () => ({ sortOrder: random.integer(10) }),
        () => ({ image: random.chance(0.3) ? null : random.pick(media) }),
      ]
      const data = random.pick(changes)()
      return update(
        collectionSlugs.categories,
        id,
        data,
        `update category ${id}: ${JSON.stringify(data)}`,
      )
    },
  ],
  [
    6,
    ({ random, state: { media } }) => {
      const id = random.pick(media)
      return update(
        collectionSlugs.media,
        id,
        { alt: uniqueName('Alt text') },
        `new alt of media ${id}`,
      )
    },
  ],
  [
    5,
    ({ random, state: { media } }) => {
      const changes: (() => DocumentData)[] = [
        () => ({ siteName: uniqueName('Shop') }),
        () => ({ currency: random.pick(['USD', 'EUR', 'GBP']) }),
        () => ({ logo: random.pick(media) }),
        () => ({ banner: random.chance(0.3) ? null : random.pick(media) }),
      ]
      const data = random.pick(changes)()
      return {
        description: `update the site settings: ${JSON.stringify(data)}`,
        operation: 'updateGlobal',
        data,
      }
    },
  ],
  [
    3,
    ({ random, state: { media } }) => {
      const isDraft = random.chance(0.3)
      return {
        description: `create a ${isDraft ? 'draft' : 'published'} category`,
        operation: 'create',
        collection: collectionSlugs.categories,
        isDraft,
        data: {
          name: uniqueName('Random category'),
          sortOrder: random.integer(10),
          image: random.chance(0.5) ? random.pick(media) : undefined,
          _status: isDraft ? 'draft' : 'published',
        },
      }
    },
  ],
  [
    2,
    async ({ random, state: { categories }, payload }) => {
      if (categories.length <= 3) return undefined
      const { id } = random.pick(categories)
      // Only an empty one: a category that items still belong to cannot be deleted (409).
      const { totalDocs } = await payload.count({
        collection: collectionSlugs.items,
        where: { category: { equals: id } },
      })
      if (totalDocs > 0) return undefined
      return {
        description: `delete category ${id}`,
        operation: 'delete',
        collection: collectionSlugs.categories,
        id,
      }
    },
  ],
]

const totalWeight = mutationPlanners.reduce((sum, [weight]) => sum + weight, 0)

/** The next change, drawn by weight among those possible now. */
export const planMutation = async (args: {
  random: SeededRandom
  state: CatalogState
  payload: Payload
}): Promise<CatalogMutation> => {
  for (;;) {
    let draw = args.random.next() * totalWeight
    const [, planner] = mutationPlanners.find(([weight]) => (draw -= weight) < 0) ?? []
    const mutation = await planner?.(args)
    if (mutation) return mutation
  }
}

/** Keeps `state` in step with a change that was made; `doc` is the document as it is after it. */
export const recordMutation = (
  state: CatalogState,
  mutation: CatalogMutation,
  doc: ChangedDocument | undefined,
): void => {
  const { operation } = mutation
  if (operation === 'updateGlobal' || operation === 'updateMany') return
  if (mutation.collection === collectionSlugs.media) return
  const isItem = mutation.collection === collectionSlugs.items
  if (operation === 'create' && isItem) state.items.push(Number(doc?.id))
  else if (operation === 'create')
    state.categories.push({ id: Number(doc?.id), slug: String(doc?.slug) })
  else if (operation === 'delete' && isItem)
    state.items = state.items.filter((item) => item !== mutation.id)
  else if (operation === 'delete')
    state.categories = state.categories.filter((category) => category.id !== mutation.id)
  else if (!isItem && !mutation.isDraft) {
    const category = state.categories.find((candidate) => candidate.id === mutation.id)
    if (category) category.slug = String(doc?.slug)
  }
}

/** Through the Local API: its hooks run as for any write. */
export const mutateThroughLocalAPI = async (
  payload: Payload,
  mutation: CatalogMutation,
): Promise<ChangedDocument | undefined> => {
  if (mutation.operation === 'updateGlobal')
    return payload.updateGlobal({ slug: globalSlugs.siteSettings, data: mutation.data as never })
  if (mutation.operation === 'delete') {
    await payload.delete({ collection: mutation.collection, id: mutation.id })
    return undefined
  }
  if (mutation.operation === 'updateMany') {
    const { collection, where, data } = mutation
    const { errors } = await payload.update({ collection, where, data: data as never })
    if (errors.length > 0) throw new Error(`${mutation.description}: ${JSON.stringify(errors)}`)
    return undefined
  }
  if (mutation.operation === 'create')
    return payload.create({
      collection: mutation.collection,
      data: mutation.data as never,
      draft: mutation.isDraft,
    })
  return payload.update({
    collection: mutation.collection,
    id: mutation.id,
    data: mutation.data as never,
    draft: mutation.isDraft,
  })
}

const restRequestOf = (mutation: CatalogMutation): [method: string, path: string] => {
  const draft = 'isDraft' in mutation && mutation.isDraft ? '?draft=true' : ''
  if (mutation.operation === 'updateGlobal')
    return ['POST', `/api/globals/${globalSlugs.siteSettings}`]
  if (mutation.operation === 'create') return ['POST', `/api/${mutation.collection}${draft}`]
  if (mutation.operation === 'updateMany')
    return ['PATCH', `/api/${mutation.collection}?${qs.stringify({ where: mutation.where })}`]
  if (mutation.operation === 'update')
    return ['PATCH', `/api/${mutation.collection}/${mutation.id}${draft}`]
  return ['DELETE', `/api/${mutation.collection}/${mutation.id}`]
}

/** Over REST on a running server with a user's JWT, as the admin or a script does. */
export const mutateOverREST = async (
  { url, token }: { url: string; token: string },
  mutation: CatalogMutation,
): Promise<ChangedDocument | undefined> => {
  const [method, path] = restRequestOf(mutation)
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `JWT ${token}`, 'Content-Type': 'application/json' },
    body: 'data' in mutation ? JSON.stringify(mutation.data) : undefined,
  })
  const text = await response.text()
  if (response.status !== 200 && response.status !== 201)
    throw new Error(
      `${mutation.description}: ${method} ${path} answered ${response.status}: ${text}`,
    )
  const answer = JSON.parse(text) as {
    doc?: ChangedDocument
    result?: ChangedDocument
    errors?: unknown[]
  }
  // A bulk edit answers 200 with the documents it could not change listed as errors.
  if (answer.errors?.length)
    throw new Error(`${mutation.description}: ${method} ${path}: ${JSON.stringify(answer.errors)}`)
  return answer.doc ?? answer.result
}
