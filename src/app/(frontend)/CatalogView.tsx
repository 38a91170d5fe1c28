import type { Catalog, CatalogMedia } from '../../catalog/buildCatalog'
import { formatPrice } from '../../lib/formatPrice'

const imageUrl = (media: CatalogMedia | null, size: 'thumbnail' | 'card' | 'hero') =>
  media?.sizes[size]?.url ?? media?.url ?? undefined

/**
 * The catalog's markup, without data fetching or hooks: the page renders it on the server, and the
 * live preview re-renders it in the browser with the editor's unsaved changes.
 */
export const CatalogView = ({ catalog }: { catalog: Catalog }) => {
  const { site, categories } = catalog
  return (
    <>
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
        <section
          key={category.id}
          id={`categories-${category.id}`}
          aria-labelledby={`category-${category.slug}`}
        >
          <h2 id={`category-${category.slug}`}>{category.name}</h2>
          {category.description && <p>{category.description}</p>}
          <ul className="items">
            {category.items.map((item) => {
              const image = item.images[0] ?? null
              return (
                <li
                  key={item.id}
                  id={`items-${item.id}`}
                  className={item.isAvailable ? undefined : 'unavailable'}
                >
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
    </>
  )
}
