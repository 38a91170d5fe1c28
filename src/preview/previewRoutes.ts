import type http from 'node:http'

/**
 * Where live preview lives, for the Next routes, the admin's `livePreview.url` and the HTTP server
 * (which must not load the Payload config, so nothing here imports it).
 */
export const previewPaths = {
  /** Checks the editor, turns Next's draft mode on, and sends them to the page. */
  start: '/preview',
  /** Turns draft mode off and sends the visitor to the published page. */
  exit: '/preview/exit',
} as const

/** The collections the catalog page shows, hence those with a live preview. */
export const previewableCollections = ['items', 'categories'] as const
export type PreviewableCollection = (typeof previewableCollections)[number]

export const isPreviewableCollection = (value: unknown): value is PreviewableCollection =>
  previewableCollections.some((collection) => collection === value)

/**
 * Next's draft-mode cookie (`COOKIE_NAME_PRERENDER_BYPASS` in next/dist/server/api-utils). Only
 * its presence is read here, to keep such answers private and let the admin frame them; whether
 * draft mode is really on (the value matches this build's secret) is Next's to decide, and whether
 * drafts are shown is decided again on every request from the Payload session.
 */
export const draftModeCookieName = '__prerender_bypass'

/** What a preview is of: `collection` and `id` as the query of the start route and of the page. */
export type PreviewTarget = { collection: PreviewableCollection; id: number }

/** The admin's iframe URL for a document: relative, the admin makes it absolute on its origin. */
export const previewStartUrl = ({ collection, id }: PreviewTarget): string =>
  `${previewPaths.start}?${new URLSearchParams({ collection, id: String(id) })}`

/**
 * The page the preview shows: `/`, told which document the admin is editing, so the live preview
 * can put that document's unsaved form state over the drafts; the anchor scrolls to it.
 */
export const previewPageUrl = ({ collection, id }: PreviewTarget): string =>
  `/?${new URLSearchParams({ collection, id: String(id) })}#${collection}-${id}`

/** `collection` and `id` of a query, when they name a document the page can show. */
export const readPreviewTarget = (params: {
  get: (name: string) => string | null | undefined
}): PreviewTarget | undefined => {
  const collection = params.get('collection')
  const id = Number(params.get('id'))
  if (!isPreviewableCollection(collection) || !Number.isSafeInteger(id) || id <= 0) return undefined
  return { collection, id }
}

const hasCookie = (headers: http.IncomingHttpHeaders, name: string): boolean =>
  (headers.cookie ?? '').split(';').some((cookie) => cookie.trim().startsWith(`${name}=`))

/**
 * Whether a page request belongs to a preview: the preview routes themselves, or any page asked
 * for with the draft-mode cookie. Such answers may hold drafts: private, and framed by the admin.
 */
export const isPreviewRequest = (pathname: string, headers: http.IncomingHttpHeaders): boolean =>
  pathname === previewPaths.start ||
  pathname === previewPaths.exit ||
  hasCookie(headers, draftModeCookieName)
