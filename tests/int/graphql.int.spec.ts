import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category } from '../../payload-types'
import { graphql, loginToken } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

let payload: Payload
let category: Category
let editorToken: string
const publishedName = uniqueName('GraphQL published')
const draftName = uniqueName('GraphQL draft')

type GraphQLBody<T> = { data: T; errors?: { message: string }[] }
type CategoriesWithItems = {
  Categories: {
    docs: { name: string; slug: string; items: { docs: { name: string; price: number }[] } }[]
  }
}

const categoriesWithItemsQuery = `query ($slug: String!) {
  Categories(where: { slug: { equals: $slug } }) {
    docs { name slug items { docs { name price } } }
  }
}`

beforeAll(async () => {
  payload = await initPayload()
  const editor = await createUser({ payload, role: 'editor' })
  editorToken = await loginToken(editor.email, testPassword)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('GraphQL category'), _status: 'published' },
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: { name: publishedName, price: 250, category: category.id, _status: 'published' },
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: { name: draftName, price: 300, category: category.id, _status: 'draft' },
    draft: true,
  })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('GraphQL', () => {
  it('should return categories with their published items to anonymous readers', async () => {
    const response = await graphql(categoriesWithItemsQuery, { variables: { slug: category.slug } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as GraphQLBody<CategoriesWithItems>
    expect(body.errors).toBeUndefined()
    expect(body.data.Categories.docs).toEqual([
      {
        name: category.name,
        slug: category.slug,
        items: { docs: [{ name: publishedName, price: 250 }] },
      },
    ])
  })

  it('should hide draft items from anonymous readers asking for drafts', async () => {
    const response = await graphql(
      `
        query ($id: JSON) {
          Items(draft: true, where: { category: { equals: $id } }) {
            docs {
              name
            }
          }
        }
      `,
      { variables: { id: category.id } },
    )
    const body = (await response.json()) as GraphQLBody<{ Items: { docs: { name: string }[] } }>
    expect(body.data.Items.docs.map((doc) => doc.name)).toEqual([publishedName])
  })

  it('should show draft items to editors', async () => {
    const response = await graphql(
      `
        query ($id: JSON) {
          Items(draft: true, where: { category: { equals: $id } }) {
            docs {
              name
            }
          }
        }
      `,
      { variables: { id: category.id }, token: editorToken },
    )
    const body = (await response.json()) as GraphQLBody<{ Items: { docs: { name: string }[] } }>
    expect(body.data.Items.docs.map((doc) => doc.name).sort()).toEqual(
      [draftName, publishedName].sort(),
    )
  })

  it('should refuse an anonymous mutation and store nothing', async () => {
    const name = uniqueName('GraphQL anonymous')
    const response = await graphql(
      `
        mutation ($name: String!) {
          createCategory(data: { name: $name }) {
            id
          }
        }
      `,
      {
        variables: { name },
      },
    )
    const body = (await response.json()) as GraphQLBody<unknown>
    expect(body.errors?.[0]?.message).toMatch(/not allowed/i)
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.categories,
      where: { name: { equals: name } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should let an editor create a category', async () => {
    const name = uniqueName('GraphQL editor')
    const response = await graphql(
      `
        mutation ($name: String!) {
          createCategory(data: { name: $name, _status: published }) {
            slug
          }
        }
      `,
      { variables: { name }, token: editorToken },
    )
    const body = (await response.json()) as GraphQLBody<{ createCategory: { slug: string } }>
    expect(body.errors).toBeUndefined()
    expect(body.data.createCategory.slug).toMatch(/^graphql-editor-/)
  })

  it('should read the site settings anonymously', async () => {
    const response = await graphql('{ SiteSetting { currency } }')
    const body = (await response.json()) as GraphQLBody<{ SiteSetting: { currency: string } }>
    expect(body.errors).toBeUndefined()
    expect(body.data.SiteSetting.currency).toMatch(/^[A-Z]{3}$/)
  })
})
