import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category } from '../../payload-types'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { loginToken } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

/**
 * An anonymous reader must learn nothing about unpublished documents: no `where`, `sort`, `joins`,
 * `draft=true`, count or GraphQL argument may answer a right guess about one differently from a
 * wrong guess. Every probe is sent over HTTP twice, with the right and a wrong guess, and the two
 * answers must be the same. Editors still read drafts.
 */

let payload: Payload
let api: RunningApiServer
let editorToken: string

/** A category nobody has published, holding published items (they stay readable themselves). */
let draftCategory: Category
/** A published category whose newer draft renames it. */
let renamedCategory: Category
let publishedCategory: Category
const suffix = uniqueName('').trim().replace(/\s/g, '')
const secret = {
  name: `Unreleased Winter Range ${suffix}`,
  description: 'Launches in March, codename Juniper.',
  sortOrder: 7331,
}
const draftRename = `Rebranded Espresso ${suffix}`
let beforeTheDraft: string

type Answer = { status: number; body: unknown }

/** The request id differs on every answer; nothing else may. */
const withoutRequestId = (body: unknown) => {
  if (typeof body !== 'object' || body === null) return body
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>
  return rest
}

const read = async (response: Response): Promise<Answer> => {
  const text = await response.text()
  let body: unknown = text
  try {
    body = withoutRequestId(JSON.parse(text))
  } catch {
    // Compared as text.
  }
  return { status: response.status, body }
}

const get = async (path: string, token?: string): Promise<Answer> =>
  read(
    await fetch(`${api.url}${path}`, {
      headers: token ? { Authorization: `JWT ${token}` } : {},
    }),
  )

const graphql = async (query: string, token?: string): Promise<Answer> =>
  read(
    await fetch(`${api.url}/api/graphql`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `JWT ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    }),
  )

const totalDocs = (answer: Answer) => (answer.body as { totalDocs?: number }).totalDocs

const createItem = (category: Category, name: string) =>
  payload.create({
    collection: collectionSlugs.items,
    data: { name: uniqueName(name), price: 100, category: category.id, _status: 'published' },
  })

beforeAll(async () => {
  payload = await initPayload()
  const editor = await createUser({ payload, role: 'editor' })
  editorToken = await loginToken(editor.email, testPassword)
  beforeTheDraft = new Date(Date.now() - 60_000).toISOString()

  draftCategory = await payload.create({
    collection: collectionSlugs.categories,
    data: { ...secret, _status: 'draft' },
    draft: true,
  })
  publishedCategory = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Teas'), _status: 'published' },
  })
  renamedCategory = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Espresso'), _status: 'published' },
  })
  await payload.update({
    collection: collectionSlugs.categories,
    id: renamedCategory.id,
    data: { name: draftRename },
    draft: true,
  })
  await createItem(draftCategory, 'Wool blanket')
  await createItem(draftCategory, 'Mulled spices')
  await createItem(publishedCategory, 'Green tea')
  await createItem(renamedCategory, 'Ristretto')

  api = await startApiServer()
})

afterAll(async () => {
  await api?.close()
  await closePayload(payload)
})

type GuessProbe = [
  label: string,
  ask: (guess: string) => Promise<Answer>,
  right: string,
  wrong: string,
]

const guessProbes = (): GuessProbe[] => {
  const draftId = String(draftCategory.id)
  const ofTheDraft = `where[category][equals]=${draftId}`
  const name = encodeURIComponent(secret.name)
  const slug = draftCategory.slug as string
  return [
    [
      'items?draft=true by category.name like',
      (guess) => get(`/api/items?draft=true&where[category.name][like]=${guess}`),
      'Unreleased%20Winter',
      'Unreleased%20Summer',
    ],
    [
      'items by category.name like',
      (guess) => get(`/api/items?where[category.name][like]=${guess}`),
      'Unreleased%20Winter',
      'Unreleased%20Summer',
    ],
    [
      'items?draft=true by category.name equals',
      (guess) => get(`/api/items?draft=true&${ofTheDraft}&where[category.name][equals]=${guess}`),
      name,
      `${name}x`,
    ],
    [
      'items?draft=true by category.name not_like',
      (guess) => get(`/api/items?draft=true&${ofTheDraft}&where[category.name][not_like]=${guess}`),
      'Winter',
      'Summer',
    ],
    [
      'items?draft=true by category._status',
      (guess) =>
        get(`/api/items?draft=true&${ofTheDraft}&where[category._status][equals]=${guess}`),
      'draft',
      'published',
    ],
    [
      'items?draft=true by category.description',
      (guess) =>
        get(`/api/items?draft=true&${ofTheDraft}&where[category.description][like]=${guess}`),
      'Juniper',
      'Sequoia',
    ],
    [
      'items?draft=true by category.slug',
      (guess) => get(`/api/items?draft=true&${ofTheDraft}&where[category.slug][equals]=${guess}`),
      slug,
      `${slug}-x`,
    ],
    [
      'items?draft=true by category.sortOrder',
      (guess) =>
        get(`/api/items?draft=true&${ofTheDraft}&where[category.sortOrder][equals]=${guess}`),
      String(secret.sortOrder),
      String(secret.sortOrder + 1),
    ],
    [
      'items?draft=true by category.updatedAt',
      (guess) =>
        get(`/api/items?draft=true&${ofTheDraft}&where[category.updatedAt][greater_than]=${guess}`),
      beforeTheDraft,
      '2999-01-01T00:00:00.000Z',
    ],
    [
      'items?draft=true by category.name in an or',
      (guess) =>
        get(
          `/api/items?draft=true&where[or][0][category.name][like]=${guess}&where[or][1][name][equals]=none`,
        ),
      'Winter%20Range',
      'Summer%20Range',
    ],
    [
      'items/count?draft=true by category.name',
      (guess) => get(`/api/items/count?draft=true&where[category.name][like]=${guess}`),
      'Unreleased',
      'Discontinued',
    ],
    [
      'items/count by category.name',
      (guess) => get(`/api/items/count?${ofTheDraft}&where[category.name][like]=${guess}`),
      'Unreleased',
      'Discontinued',
    ],
    [
      'items/versions by version.category.name',
      (guess) => get(`/api/items/versions?where[version.category.name][like]=${guess}`),
      'Unreleased',
      'Discontinued',
    ],
    [
      'categories?draft=true by name',
      (guess) => get(`/api/categories?draft=true&where[name][like]=${guess}`),
      'Unreleased%20Winter',
      'Unreleased%20Summer',
    ],
    [
      'categories?draft=true by the name of a newer draft',
      (guess) => get(`/api/categories?draft=true&where[name][like]=${guess}`),
      'Rebranded%20Espresso',
      'Rebranded%20Mocha',
    ],
    [
      'items?draft=true by the category name of a newer draft',
      (guess) => get(`/api/items?draft=true&where[category.name][like]=${guess}`),
      'Rebranded%20Espresso',
      'Rebranded%20Mocha',
    ],
    [
      'categories?draft=true by joins[items][where][category.name]',
      (guess) =>
        get(`/api/categories?draft=true&joins[items][where][category.name][like]=${guess}`),
      'Unreleased',
      'Discontinued',
    ],
    [
      'items by category.items.name (through the join)',
      (guess) => get(`/api/items?draft=true&where[category.items.name][like]=${guess}`),
      'Wool',
      'Silk',
    ],
    [
      'categories/:id?draft=true',
      (guess) => get(`/api/categories/${guess}?draft=true`),
      draftId,
      String(draftCategory.id + 100_000),
    ],
    [
      'GraphQL Categories(draft: true) by name',
      (guess) =>
        graphql(`{ Categories(draft: true, where: { name: { like: "${guess}" } }) { totalDocs } }`),
      'Unreleased Winter',
      'Unreleased Summer',
    ],
    [
      'GraphQL Categories(draft: true) by the name of a newer draft',
      (guess) =>
        graphql(
          `{ Categories(draft: true, where: { name: { like: "${guess}" } }) { docs { name } } }`,
        ),
      'Rebranded Espresso',
      'Rebranded Mocha',
    ],
    [
      'GraphQL countCategories by slug',
      (guess) =>
        graphql(`{ countCategories(where: { slug: { equals: "${guess}" } }) { totalDocs } }`),
      slug,
      `${slug}-x`,
    ],
    [
      'GraphQL Category(id, draft: true)',
      (guess) => graphql(`{ Category(id: ${guess}, draft: true) { name } }`),
      draftId,
      String(draftCategory.id + 100_000),
    ],
    [
      'GraphQL Items(draft: true) by category__name',
      (guess) =>
        graphql(
          `{ Items(draft: true, where: { category__name: { like: "${guess}" } }) { totalDocs } }`,
        ),
      'Unreleased',
      'Discontinued',
    ],
  ]
}

describe('what an anonymous reader learns about unpublished categories', () => {
  it('should answer every probe the same for a right and a wrong guess', async () => {
    const differences: string[] = []
    for (const [label, ask, right, wrong] of guessProbes()) {
      const [rightAnswer, wrongAnswer] = [await ask(right), await ask(wrong)]
      expect(rightAnswer.status, label).toBeLessThan(500)
      if (JSON.stringify(rightAnswer) !== JSON.stringify(wrongAnswer)) {
        differences.push(`${label}: ${JSON.stringify(rightAnswer).slice(0, 200)}`)
      }
    }
    expect(differences).toEqual([])
  })

  it("should order nothing by an unpublished category's fields", async () => {
    const sortDraft = await payload.create({
      collection: collectionSlugs.categories,
      data: { name: `Aaaa ${suffix}`, _status: 'draft' },
      draft: true,
    })
    await createItem(sortDraft, 'First by name')
    const among = `where[category][in]=${sortDraft.id},${publishedCategory.id}&depth=0`
    const ask = () =>
      Promise.all([
        get(`/api/items?sort=category.name&limit=1&${among}`),
        get(`/api/items?draft=true&sort=-category.name&limit=1&${among}`),
        get(`/api/items?sort=category.slug,name&${among}`),
        graphql(
          `{ Items(draft: true, sort: "category.name", limit: 1, where: { category: { in: [${sortDraft.id}, ${publishedCategory.id}] } }) { docs { name } } }`,
        ),
      ])
    const before = await ask()
    // Renamed in the documents table itself, as publishing and unpublishing write it.
    await payload.update({
      collection: collectionSlugs.categories,
      id: sortDraft.id,
      data: { name: `Zzzz ${suffix}`, slug: `zzzz-${suffix.toLowerCase()}`, _status: 'draft' },
    })
    expect(await ask()).toEqual(before)
  })

  it('should still give published documents to draft=true, never the newer draft', async () => {
    const items = await get(`/api/items?draft=true&where[category][equals]=${draftCategory.id}`)
    expect(totalDocs(items)).toBe(2)
    const renamed = await get(
      `/api/categories?draft=true&where[id][equals]=${renamedCategory.id}&depth=0`,
    )
    expect((renamed.body as { docs: Category[] }).docs.map((doc) => doc.name)).toEqual([
      renamedCategory.name,
    ])
    const item = await get(`/api/items?where[category][equals]=${draftCategory.id}&depth=1`)
    const categories = (item.body as { docs: { category: unknown }[] }).docs.map(
      (doc) => doc.category,
    )
    // The item names its category by id; the category itself is not read.
    expect(categories).toEqual([draftCategory.id, draftCategory.id])
  })
})

describe('what an editor reads', () => {
  it('should find drafts and their fields wherever drafts are asked for', async () => {
    const items = await get(
      `/api/items?draft=true&where[category.name][like]=Unreleased%20Winter&where[category.description][like]=Juniper`,
      editorToken,
    )
    expect(totalDocs(items)).toBe(2)
    const category = await get(`/api/categories/${draftCategory.id}?draft=true`, editorToken)
    expect((category.body as Category).name).toBe(secret.name)
    const renamed = await get(
      `/api/categories?draft=true&where[name][equals]=${encodeURIComponent(draftRename)}`,
      editorToken,
    )
    expect(totalDocs(renamed)).toBe(1)
    const viaGraphQL = await graphql(
      `
        {
          Categories(draft: true, where: { name: { like: "Unreleased Winter" } }) {
            docs {
              name
            }
          }
        }
      `,
      editorToken,
    )
    expect(viaGraphQL.body).toEqual({
      data: { Categories: { docs: [{ name: secret.name }] } },
    })
  })

  it('should sort by a related category and count through it', async () => {
    const sorted = await get(
      `/api/items?sort=category.name&where[category][in]=${draftCategory.id},${publishedCategory.id}`,
      editorToken,
    )
    expect(sorted.status).toBe(200)
    expect(totalDocs(sorted)).toBe(3)
    const counted = await get(
      `/api/items/count?where[category.sortOrder][equals]=${secret.sortOrder}`,
      editorToken,
    )
    expect(counted.body).toEqual({ totalDocs: 2 })
  })
})
