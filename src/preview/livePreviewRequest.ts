/**
 * The body of the live preview's read of the edited document (POST /api/<collection>/<id> with
 * X-Payload-HTTP-Method-Override: GET): the form state and a depth. Payload's default request
 * handler sends `depth` as a JSON number and `flattenLocales`/`locale` besides, which the REST
 * request validation refuses (a query parameter is text); this sends the query as a query string
 * would hold it. The catalog has no localization, so locale options are left out.
 */
export const livePreviewReadBody = ({
  data,
  depth,
}: {
  data: unknown
  depth?: number
}): { data: unknown; depth: string } => ({ data, depth: String(depth ?? 0) })
