'use client'

import { RefreshRouteOnSave, useLivePreview } from '@payloadcms/live-preview-react'
import { useRouter } from 'next/navigation'

import type { Catalog, CatalogItem } from '../../catalog/buildCatalog'
import { livePreviewReadBody } from '../../preview/livePreviewRequest'
import type { PreviewTarget } from '../../preview/previewRoutes'
import { CatalogView } from './CatalogView'

type RequestHandler = NonNullable<Parameters<typeof useLivePreview>[0]['requestHandler']>

/** Payload's own handler, with a body the REST request validation accepts (livePreviewReadBody). */
const readEditedDocument: RequestHandler = ({ apiPath, data, endpoint, serverURL }) =>
  fetch(`${serverURL}${apiPath}/${endpoint}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json', 'X-Payload-HTTP-Method-Override': 'GET' },
    body: JSON.stringify(livePreviewReadBody({ data: data.data, depth: data.depth })),
  })

/** The edited document as the admin's form holds it (depth 0): any field may still be missing. */
type EditedDocument = {
  id: number
  name?: string | null
  price?: number | null
  isAvailable?: boolean | null
  category?: number | { id: number } | null
  description?: string | null
}

const idOf = (value: EditedDocument['category']) =>
  typeof value === 'number' ? value : (value?.id ?? undefined)

/** The catalog with the edited item's unsaved name, price, availability and category. */
const withEditedItem = (catalog: Catalog, edited: EditedDocument): Catalog => {
  const from = catalog.categories.find((category) =>
    category.items.some((item) => item.id === edited.id),
  )
  const shown = from?.items.find((item) => item.id === edited.id)
  // Not on the page (no category yet): the next save's refresh shows it.
  if (!from || !shown) return catalog
  const item: CatalogItem = {
    ...shown,
    name: edited.name ?? shown.name,
    price: typeof edited.price === 'number' ? edited.price : shown.price,
    isAvailable: edited.isAvailable ?? shown.isAvailable,
  }
  const toId = idOf(edited.category) ?? from.id
  const to = catalog.categories.some((category) => category.id === toId) ? toId : from.id
  return {
    ...catalog,
    categories: catalog.categories.map((category) => {
      if (category.id === from.id && category.id === to)
        return {
          ...category,
          items: category.items.map((entry) => (entry.id === item.id ? item : entry)),
        }
      if (category.id === from.id)
        return { ...category, items: category.items.filter((entry) => entry.id !== item.id) }
      if (category.id === to) return { ...category, items: [...category.items, item] }
      return category
    }),
  }
}

/** The catalog with the edited category's unsaved name and description. */
const withEditedCategory = (catalog: Catalog, edited: EditedDocument): Catalog => ({
  ...catalog,
  categories: catalog.categories.map((category) =>
    category.id === edited.id
      ? {
          ...category,
          name: edited.name ?? category.name,
          description: edited.description === undefined ? category.description : edited.description,
        }
      : category,
  ),
})

/**
 * The admin posts the form state to this frame on every keystroke (window.postMessage); the hook
 * has Payload shape it (POST /api/<collection>/<id> with the editor's cookie, never cached) and
 * it is put over the drafts the server rendered. Nothing is saved: this is the "unsaved draft".
 */
const LiveEditedCatalog = ({
  catalog,
  target,
  serverURL,
}: {
  catalog: Catalog
  target: PreviewTarget
  serverURL: string
}) => {
  const { data } = useLivePreview<EditedDocument>({
    initialData: { id: target.id },
    serverURL,
    depth: 0,
    requestHandler: readEditedDocument,
  })
  const shown =
    target.collection === 'items'
      ? withEditedItem(catalog, data)
      : withEditedCategory(catalog, data)
  return <CatalogView catalog={shown} />
}

/**
 * The catalog in live preview: saves (draft or publish) re-render the page on the server with the
 * new drafts (RefreshRouteOnSave → router.refresh), and the document being edited follows the
 * form as the editor types.
 */
export const LivePreviewCatalog = ({
  catalog,
  target,
}: {
  catalog: Catalog
  target?: PreviewTarget
}) => {
  const router = useRouter()
  // The admin is this app, on this origin; only its messages are listened to. Empty while
  // rendering on the server, where the hooks' effects do not run.
  const serverURL = typeof window === 'undefined' ? '' : window.location.origin
  return (
    <>
      <RefreshRouteOnSave refresh={() => router.refresh()} serverURL={serverURL} />
      {target ? (
        <LiveEditedCatalog catalog={catalog} target={target} serverURL={serverURL} />
      ) : (
        <CatalogView catalog={catalog} />
      )}
    </>
  )
}
