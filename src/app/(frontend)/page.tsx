import config from '@payload-config'
import { draftMode, headers } from 'next/headers'
import { getPayload } from 'payload'

import { previewPaths, readPreviewTarget } from '../../preview/previewRoutes'
import { readCatalogForPage } from '../../preview/readCatalogForPage'
import { CatalogView } from './CatalogView'
import { LivePreviewCatalog } from './LivePreviewCatalog'

// Rendered per request from the in-memory catalog, which is invalidated the moment anything in it
// changes, so an edit in the admin shows here on the next load. In live preview (draft mode and
// an editor's session), from the drafts instead: see readCatalogForPage.
export const dynamic = 'force-dynamic'

const isGraphQLPlaygroundServed = process.env.NODE_ENV !== 'production'

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> }

const firstValue = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value[0] : value

const CatalogPage = async ({ searchParams }: PageProps) => {
  // Starting Payload registers the catalog cache; the document then comes from memory.
  const payload = await getPayload({ config })
  const { catalog, isPreview } = await readCatalogForPage({
    payload,
    headers: await headers(),
    isDraftMode: (await draftMode()).isEnabled,
  })
  if (!catalog) return <main>The catalog is starting; reload in a moment.</main>
  const query = await searchParams
  const target = isPreview
    ? readPreviewTarget({ get: (name) => firstValue(query[name]) })
    : undefined

  return (
    <main>
      {/* Plain links on purpose: the admin, the APIs and the preview routes are not pages of this app's router. */}
      {/* eslint-disable @next/next/no-html-link-for-pages */}
      {isPreview && (
        <p className="preview-banner" role="status">
          Preview — draft. Unpublished changes are shown to you only.{' '}
          <a href={previewPaths.exit}>Leave preview</a>
        </p>
      )}
      {isPreview ? (
        <LivePreviewCatalog catalog={catalog} target={target} />
      ) : (
        <CatalogView catalog={catalog} />
      )}
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
