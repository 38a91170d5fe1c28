import config from '@payload-config'
import { getPayload } from 'payload'

import { getCachedDocument } from '../../../plugins/responseCache'
import type { Catalog, CatalogMedia } from '../../catalog/buildCatalog'
import { catalogPath } from '../../catalog/catalogCacheOptions'
import { formatPrice } from '../../lib/formatPrice'

// Rendered per request from the in-memory catalog, which is invalidated the moment anything in it
// changes, so an edit in the admin shows here on the next load.
export const dynamic = 'force-dynamic'

const imageUrl = (media: CatalogMedia | null, size: 'thumbnail' | 'card' | 'hero') =>
  media?.sizes[size]?.url ?? media?.url ?? undefined

const isGraphQLPlaygroundServed = process.env.NODE_ENV !== 'production'

const CatalogPage = async () => {
  // Starting Payload registers the catalog cache; the document then comes from memory.
  const payload = await getPayload({ config })
  const catalog = await getCachedDocument<Catalog>({ payload, path: catalogPath })
  if (!catalog) return <main>The catalog is starting; reload in a moment.</main>
  const { site, categories } = catalog

  return (
    <main>
      <header>
        {site.logo && (
          <img className="logo" src={imageUrl(site.logo, 'thumbnail')} alt={site.logo.alt} />
        )}
        <h1>{site.name}</h1>
      </header>
      {site.banner && (
        <img className="banner" src={imageUrl(site.banner, 'hero')} alt={site.banner.alt} />
      )}
      {categories.length === 0 && <p>Nothing is published yet. Sign in at /admin to add items.</p>}
      {categories.map((category) => (
        <section key={category.id} aria-labelledby={`category-${category.slug}`}>
          <h2 id={`category-${category.slug}`}>{category.name}</h2>
          {category.description && <p>{category.description}</p>}
          <ul className="items">
            {category.items.map((item) => {
              const image = item.images[0] ?? null
              return (
                <li key={item.id} className={item.isAvailable ? undefined : 'unavailable'}>
                  {image && <img src={imageUrl(image, 'card')} alt={image.alt} loading="lazy" />}
                  <div className="details">
                    <h3>{item.name}</h3>
                    <p className="price">{formatPrice(item.price, site.currency)}</p>
                    {!item.isAvailable && <p>Currently unavailable</p>}
                  </div>
                </li>
              )
            })}
          </ul>
        </section>
      ))}
      {/* Plain links on purpose: the admin and the APIs are not pages of this app's router. */}
      {/* eslint-disable @next/next/no-html-link-for-pages */}
      <footer>
        Served by catalog-cms · <a href="/admin">Admin</a> · <a href="/api/catalog">Catalog JSON</a>
        {/* Payload serves its GraphQL playground outside production only. */}
        {isGraphQLPlaygroundServed && (
          <>
            {' '}
            · <a href="/api/graphql-playground">GraphQL</a>
          </>
        )}
      </footer>
      {/* eslint-enable @next/next/no-html-link-for-pages */}
    </main>
  )
}

export default CatalogPage
