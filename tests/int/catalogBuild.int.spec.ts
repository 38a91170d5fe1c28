import pg from 'pg'
import { expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { buildCatalog, toCatalogMedia, type CatalogMedia } from '../../src/catalog/buildCatalog'
import { getEnv } from '../../src/config/env'
import { makeJpeg } from '../helpers/images'
import { lexicalText as oracleText } from '../helpers/lexical'
import { setupEditorSession } from '../helpers/session'

const session = setupEditorSession()

/** The catalog as the plain anonymous Local API sees it: the oracle for the optimised build. */
const referenceCatalog = async () => {
  const { payload } = session
  const settings = await payload.findGlobal({
    slug: globalSlugs.siteSettings,
    depth: 1,
    overrideAccess: false,
  })
  const categories = await payload.find({
    collection: collectionSlugs.categories,
    sort: ['sortOrder', 'name'],
    depth: 1,
    pagination: false,
    overrideAccess: false,
  })
  const items = await payload.find({
    collection: collectionSlugs.items,
    depth: 1,
    pagination: false,
    overrideAccess: false,
  })
  // The catalog's descriptions name their images by id, as depth 0 does: the images themselves
  // are in descriptionHTML (rendered whatever the depth).
  const descriptions = new Map(
    (
      await payload.find({
        collection: collectionSlugs.items,
        depth: 0,
        pagination: false,
        overrideAccess: false,
        select: { description: true },
      })
    ).docs.map((item) => [item.id, item.description ?? null]),
  )
  const sortedItems = [...items.docs].sort(
    (a, b) =>
      (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
  return {
    site: {
      name: settings.siteName ?? 'Catalog',
      currency: settings.currency,
      logo: toCatalogMedia(settings.logo),
      banner: toCatalogMedia(settings.banner),
    },
    categories: categories.docs.map((category) => ({
      id: category.id,
      name: category.name,
      slug: category.slug,
      description: category.description ?? null,
      image: toCatalogMedia(category.image),
      items: sortedItems
        .filter(
          (item) =>
            (typeof item.category === 'object' ? item.category.id : item.category) === category.id,
        )
        .map((item) => ({
          id: item.id,
          name: item.name,
          slug: item.slug,
          description: descriptions.get(item.id) ?? null,
          descriptionHTML: item.descriptionHTML ?? null,
          price: item.price,
          isAvailable: item.isAvailable ?? true,
          tags: item.tags ?? [],
          images: (item.images ?? [])
            .map(toCatalogMedia)
            .filter((media): media is CatalogMedia => media !== null),
        })),
    })),
  }
}

/** No description, formatted text, and a link to a URL that may not be served. */
const oracleDescriptions = [
  null,
  {
    root: {
      type: 'root',
      version: 1,
      children: [
        { type: 'heading', tag: 'h3', version: 1, children: [oracleText('Fresh <daily>', 1)] },
        { type: 'paragraph', version: 1, children: [oracleText('Baked at dawn.')] },
      ],
    },
  },
  {
    root: {
      type: 'root',
      version: 1,
      children: [
        {
          type: 'paragraph',
          version: 1,
          children: [
            oracleText('See the '),
            {
              type: 'link',
              version: 3,
              fields: { url: 'javascript:alert(1)', linkType: 'custom' },
              children: [oracleText('offer')],
            },
          ],
        },
      ],
    },
  },
]

// Regression: the first build read tags through the adapter and took 10 s at 10,000 items.
it('should build exactly what the anonymous Local API shows, drafts excluded', async () => {
  const { payload } = session
  const media: number[] = []
  for (let index = 0; index < 3; index++) {
    const data = await makeJpeg(900, 600)
    media.push(
      (
        await payload.create({
          collection: 'media',
          data: { alt: `Oracle ${index}` },
          file: { data, mimetype: 'image/jpeg', name: 'oracle.jpg', size: data.length },
        })
      ).id,
    )
  }
  await payload.updateGlobal({
    slug: globalSlugs.siteSettings,
    data: { logo: media[0], banner: media[1] },
  })
  const categories: number[] = []
  for (let index = 0; index < 5; index++) {
    categories.push(
      (
        await payload.create({
          collection: 'categories',
          data: {
            name: `Oracle ${index}`,
            image: media[index % 3],
            sortOrder: 5 - index,
            _status: 'published',
          },
        })
      ).id,
    )
  }
  await payload.create({
    collection: 'categories',
    data: { name: 'Oracle draft', _status: 'draft' },
    draft: true,
  })
  const sql = new pg.Client({ connectionString: getEnv().DATABASE_URL })
  await sql.connect()
  try {
    // Descriptions as stored, some from before links were checked on write.
    await sql.query(
      `INSERT INTO items (name, slug, price, category_id, is_available, sort_order, _status, description)
       SELECT 'Oracle item ' || n, 'oracle-item-' || n, n * 3, ($1::int[])[1 + n % 5], n % 4 <> 0, n % 7,
              (CASE WHEN n % 9 = 0 THEN 'draft' ELSE 'published' END)::enum_items_status,
              NULLIF($2::jsonb -> (n % 3), 'null'::jsonb)
         FROM generate_series(0, 299) AS n`,
      [categories, JSON.stringify(oracleDescriptions)],
    )
    await sql.query(
      `INSERT INTO items_rels ("order", parent_id, path, media_id)
       SELECT position, id, 'images', ($1::int[])[1 + (id + position) % 3] FROM items CROSS JOIN generate_series(1, 2) AS position
        WHERE name LIKE 'Oracle item %'`,
      [media],
    )
    await sql.query(
      `INSERT INTO items_texts ("order", parent_id, path, text)
       SELECT 1, id, 'tags', 'oracle' FROM items WHERE name LIKE 'Oracle item %'
       UNION ALL SELECT 2, id, 'tags', 'group-' || (id % 4) FROM items WHERE name LIKE 'Oracle item %'`,
    )
  } finally {
    await sql.end()
  }
  const built = await buildCatalog({ payload })
  expect(built).toEqual(await referenceCatalog())
  expect(built.categories.flatMap((category) => category.items).length).toBeGreaterThan(250)
})
