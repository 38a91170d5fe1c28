import { createRouteTable, type RouteTable } from '../routes'

const appRouteTable = createRouteTable()

/**
 * The route pattern a request path belongs to, for log lines and metric labels: ids, file names
 * and unknown segments are replaced, so the set of values stays small whatever clients send. The
 * HTTP server passes its own table, which also knows the cached endpoints.
 */
export const toRoutePattern = (pathname: string, routeTable: RouteTable = appRouteTable): string =>
  routeTable.classify(pathname).pattern
