/**
 * The bad-input corpus: requests a client may send by mistake or on purpose, each of which must be
 * answered with a 4xx and a readable message, and must change nothing. Cases are data; the few
 * generators below only multiply one mistake over the collections, methods or values it applies
 * to. `tests/int/badInput.int.spec.ts` sends them over HTTP to the app server.
 *
 * Placeholders, filled in by the runner from the documents it creates first:
 * `{item}`, `{category}`, `{media}`, `{editor}`, `{admin}`, `{audit}`, `{itemVersion}` — in paths
 * and in any string of a JSON body (a string that is exactly a placeholder becomes the number).
 */

export type Principal = 'anonymous' | 'editor' | 'admin' | 'editorCookie' | 'adminCookie'

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; file: 'jpeg' | 'text' | 'empty' | 'svg'; filename: string; type: string }

export type CaseBody =
  /** Serialised with JSON.stringify and sent as application/json. */
  | { json: unknown }
  /** Sent as is, with the given content type (none when omitted). */
  | { raw: string; contentType?: string }
  /** A multipart/form-data body built with FormData. */
  | { multipart: MultipartPart[] }
  /** A body of `bytes` repeated characters inside a JSON string field. */
  | { hugeJson: { field: string; bytes: number; extra?: Record<string, unknown> } }

export type BadInputCase = {
  name: string
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  as?: Principal
  headers?: Record<string, string>
  body?: CaseBody
  /** The exact status, or any client error when omitted. */
  status?: number
  /** What errors[0].message must say. */
  message?: RegExp
}

const contentCollections = ['categories', 'items', 'media'] as const
const allCollections = ['users', 'categories', 'items', 'media', 'audit-logs'] as const

/** Path ids that cannot name a document: ids are PostgreSQL `integer` (int4), 1 and up. */
const badIds: [label: string, segment: string][] = [
  ['letters', 'abc'],
  ['a decimal', '1.5'],
  ['one past int4', '2147483648'],
  ['a 30-digit number', '123456789012345678901234567890'],
  ['a negative number', '-1'],
  ['zero', '0'],
  ['a NUL byte', '%00'],
  ['an exponent', '1e3'],
  ['hexadecimal', '0x10'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['an SQL fragment', '1%20OR%201%3D1'],
  ['a quote', "1'"],
  ['a script tag', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ['an encoded slash', '1%2F2'],
  ['a leading space', '%201'],
  ['a digit then letters', '5abc'],
  ['a JSON object', '%7B%22%24gt%22%3A0%7D'],
]

const idCases: BadInputCase[] = allCollections.flatMap((collection) =>
  badIds.flatMap(([label, segment]) =>
    (['GET', 'DELETE', 'PATCH'] as const).map((method): BadInputCase => ({
      name: `${method} /api/${collection}/:id with ${label}`,
      method,
      path: `/api/${collection}/${segment}`,
      as: 'admin',
      body: method === 'PATCH' ? { json: { name: 'Renamed' } } : undefined,
      status: 400,
      message: /id/i,
    })),
  ),
)

/** The id of a real document with letters after it: Payload's parseFloat read it as that id. */
const coercedIdCases: BadInputCase[] = (
  [
    ['items', '{item}'],
    ['categories', '{category}'],
    ['media', '{media}'],
    ['users', '{editor}'],
  ] as const
).flatMap(([collection, id]) =>
  (['GET', 'DELETE', 'PATCH'] as const).map((method): BadInputCase => ({
    name: `${method} /api/${collection}/<real id>abc must not reach the real document`,
    method,
    path: `/api/${collection}/${id}abc`,
    as: 'admin',
    body: method === 'PATCH' ? { json: { name: 'Renamed' } } : undefined,
    status: 400,
    message: /id/i,
  })),
)

const versionIdCases: BadInputCase[] = (['items', 'categories'] as const).flatMap((collection) =>
  (['abc', '2147483648', '%00', '{itemVersion}x'] as const).flatMap((segment) => [
    {
      name: `GET /api/${collection}/versions/${segment}`,
      method: 'GET' as const,
      path: `/api/${collection}/versions/${segment}`,
      as: 'editor' as const,
      status: 400,
      message: /id/i,
    },
    {
      name: `POST (restore) /api/${collection}/versions/${segment}`,
      method: 'POST' as const,
      path: `/api/${collection}/versions/${segment}`,
      as: 'editor' as const,
      status: 400,
      message: /id/i,
    },
  ]),
)

const missingDocumentCases: BadInputCase[] = contentCollections.flatMap((collection) =>
  (['GET', 'DELETE', 'PATCH'] as const).map((method): BadInputCase => ({
    name: `${method} /api/${collection}/2147483647 (no such document)`,
    method,
    path: `/api/${collection}/2147483647`,
    as: 'editor',
    body:
      method === 'PATCH'
        ? { json: collection === 'media' ? { alt: 'Renamed' } : { name: 'Renamed' } }
        : undefined,
    status: 404,
  })),
)

/** Query strings a list endpoint must refuse: out of range, malformed, or not a where shape. */
const badListQueries: [label: string, query: string, message: RegExp][] = [
  ['limit=-1', 'limit=-1', /limit/],
  ['limit=abc', 'limit=abc', /limit/],
  ['limit=1.5', 'limit=1.5', /limit/],
  ['limit=1e400', 'limit=1e400', /limit/],
  ['limit=100000', 'limit=100000', /limit/],
  ['limit=0 (everything)', 'limit=0', /limit/],
  ['two limits', 'limit=1&limit=2', /limit/],
  ['page=0', 'page=0', /page/],
  ['page=-5', 'page=-5', /page/],
  ['page=abc', 'page=abc', /page/],
  ['page=99999999999', 'page=99999999999', /page/],
  ['depth=-1', 'depth=-1', /depth/],
  ['depth=abc', 'depth=abc', /depth/],
  ['depth=1000', 'depth=1000', /depth/],
  ['pagination=maybe', 'pagination=maybe', /pagination/],
  ['draft=yes', 'draft=yes', /draft/],
  ['where as a plain string', 'where=abc', /where/],
  ['where as malformed JSON', 'where=%7B%22name%22%3A', /where/],
  ['where as a JSON array', 'where=%5B1%2C2%5D', /where/],
  ['where with a number', 'where=42', /where/],
  ['where[name]=x (no operator)', 'where[name]=x', /where/],
  ['an unknown operator', 'where[name][drop]=x', /where|operator/],
  ['where on an unknown field', 'where[nope][equals]=1', /nope|where/],
  ['where[id] with letters', 'where[id][equals]=abc', /id/],
  ['where[id][in] with letters', 'where[id][in]=1,abc', /id/],
  ['where[id] past int4', 'where[id][equals]=2147483648', /id/],
  ['where[createdAt] not a date', 'where[createdAt][greater_than]=yesterday', /createdAt|date/],
  ['where[updatedAt][less_than] with letters', 'where[updatedAt][less_than]=abc', /updatedAt/],
  ['where[and] not a list', 'where[and]=x', /where|and/],
  ['where[or][0] a string', 'where[or][0]=x', /where/],
  [
    'a where 12 levels deep',
    `${'where[and][0]'.repeat(1)}${'[or][0]'.repeat(5)}[id][equals]=1`,
    /where|deep/,
  ],
  ['sort on an unknown field', 'sort=nope', /sort/],
  ['sort with SQL', 'sort=id%3B%20DROP%20TABLE%20users', /sort/],
  ['a 5,000-character sort', `sort=${'a'.repeat(5000)}`, /sort/],
  ['select not an object', 'select=abc', /select/],
  ['joins not an object', 'joins=abc', /joins/],
  ['populate not an object', 'populate=abc', /populate/],
  ['locale with SQL', "locale='%3B--", /locale/],
]

const listQueryCases: BadInputCase[] = allCollections.flatMap((collection) =>
  badListQueries.map(([label, query, message]): BadInputCase => ({
    name: `GET /api/${collection}?${label}`,
    method: 'GET',
    path: `/api/${collection}?${query}`,
    as: 'admin',
    status: 400,
    message,
  })),
)

/** Operators applied to a field of the wrong type. */
const wrongTypeWhere: [collection: string, label: string, query: string, message: RegExp][] = [
  ['items', 'price equals letters', 'where[price][equals]=abc', /price/],
  ['items', 'price greater than 1e400', 'where[price][greater_than]=1e400', /price/],
  ['items', 'price in letters', 'where[price][in]=a,b', /price/],
  ['items', 'price near a point', 'where[price][near]=1,2', /price|near/],
  ['items', 'name near a point', 'where[name][near]=1,2,3', /name|near/],
  ['items', 'name within', 'where[name][within]=x', /name|within/],
  ['items', 'name intersects', 'where[name][intersects]=x', /name|intersects/],
  ['items', 'category equals letters', 'where[category][equals]=abc', /category/],
  ['items', 'category past int4', 'where[category][equals]=99999999999', /category/],
  [
    'items',
    'category.name with an unknown operator',
    'where[category.name][nope]=x',
    /where|operator/,
  ],
  ['items', 'isAvailable equals maybe', 'where[isAvailable][equals]=maybe', /isAvailable/],
  ['items', 'sortOrder like', 'where[sortOrder][like]=abc', /sortOrder/],
  ['items', '_status equals something unknown', 'where[_status][equals]=deleted', /_status/],
  ['items', 'images equals letters', 'where[images][equals]=abc', /images/],
  ['categories', 'sortOrder equals letters', 'where[sortOrder][equals]=abc', /sortOrder/],
  ['categories', 'image in letters', 'where[image][in]=x,y', /image/],
  ['media', 'width less than letters', 'where[width][less_than]=wide', /width/],
  ['media', 'focalX equals letters', 'where[focalX][equals]=abc', /focalX/],
  ['users', 'role equals something unknown', 'where[role][equals]=superuser', /role/],
  ['users', 'the password hash', 'where[hash][exists]=true', /hash/],
  ['users', 'the salt', 'where[salt][like]=a', /salt/],
  ['users', 'a locked account time as letters', 'where[lockUntil][greater_than]=soon', /lockUntil/],
  ['audit-logs', 'createdAt as letters', 'where[createdAt][greater_than]=abc', /createdAt/],
  ['audit-logs', 'action equals something unknown', 'where[action][equals]=drop', /action/],
]

const wrongTypeWhereCases: BadInputCase[] = wrongTypeWhere.map(
  ([collection, label, query, message]): BadInputCase => ({
    name: `GET /api/${collection} where ${label}`,
    method: 'GET',
    path: `/api/${collection}?${query}`,
    as: 'admin',
    status: 400,
    message,
  }),
)

const notAnObject = /JSON object/
const jsonOnly = /application\/json|content type/i

/** Bodies that are not a JSON object of field values, for every create and update route. */
const writeRoutes: [label: string, method: 'POST' | 'PATCH', path: string][] = [
  ['create a category', 'POST', '/api/categories'],
  ['create an item', 'POST', '/api/items'],
  ['update an item', 'PATCH', '/api/items/{item}'],
  ['update categories by query', 'PATCH', '/api/categories?where[id][equals]={category}'],
  ['update the site settings', 'POST', '/api/globals/site-settings'],
  ['create a user', 'POST', '/api/users'],
  ['update a user', 'PATCH', '/api/users/{editor}'],
  ['update a media document', 'PATCH', '/api/media/{media}'],
]

const badBodies: [label: string, body: CaseBody, status: number, message: RegExp][] = [
  ['malformed JSON', { raw: '{"name": ', contentType: 'application/json' }, 400, /JSON/],
  ['an empty JSON body', { raw: '', contentType: 'application/json' }, 400, /JSON|body/],
  ['a JSON string', { json: 'just text' }, 400, notAnObject],
  ['a JSON number', { json: 42 }, 400, notAnObject],
  ['JSON null', { json: null }, 400, notAnObject],
  ['a JSON array', { json: [{ name: 'x' }] }, 400, notAnObject],
  ['JSON true', { json: true }, 400, notAnObject],
  ['text/plain', { raw: '{"name":"x"}', contentType: 'text/plain' }, 415, jsonOnly],
  ['application/xml', { raw: '<name>x</name>', contentType: 'application/xml' }, 415, jsonOnly],
  ['no content type', { raw: '{"name":"x"}' }, 415, jsonOnly],
  // Payload reads a body only when the media type is exactly application/json: anything else that
  // says JSON would reach it as no data at all.
  [
    'application/merge-patch+json',
    { raw: '{"name":"x"}', contentType: 'application/merge-patch+json' },
    415,
    jsonOnly,
  ],
  ['Application/JSON', { raw: '{"name":"x"}', contentType: 'Application/JSON' }, 415, jsonOnly],
  // A body is data, whatever its shape: this one once became the answer's status and message.
  ['a JSON object shaped like a refusal', { json: { status: 500, message: 'x' } }, 400, /status/],
  [
    'a form-urlencoded body',
    { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' },
    415,
    jsonOnly,
  ],
  [
    'JSON with a BOM and garbage',
    { raw: '\uFEFF{"name":"x"} trailing', contentType: 'application/json' },
    400,
    /JSON/,
  ],
  [
    'JSON nested 10,000 levels',
    { raw: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, contentType: 'application/json' },
    400,
    /JSON|nest/,
  ],
]

const bodyShapeCases: BadInputCase[] = writeRoutes.flatMap(([routeLabel, method, path]) =>
  badBodies.map(([label, body, status, message]): BadInputCase => ({
    name: `${routeLabel} with ${label}`,
    method,
    path,
    as: 'admin',
    body,
    status,
    message,
  })),
)

const hugeBodyCases: BadInputCase[] = [
  {
    name: 'create an item with a 3 MB body',
    method: 'POST',
    path: '/api/items',
    as: 'editor',
    body: {
      hugeJson: {
        field: 'name',
        bytes: 3 * 1024 * 1024,
        extra: { price: 1, category: '{category}' },
      },
    },
    status: 413,
    message: /too large|MB/,
  },
  {
    name: 'update the site settings with a 3 MB body',
    method: 'POST',
    path: '/api/globals/site-settings',
    as: 'editor',
    body: { hugeJson: { field: 'siteName', bytes: 3 * 1024 * 1024 } },
    status: 413,
  },
  {
    name: 'log in with a 3 MB password',
    method: 'POST',
    path: '/api/users/login',
    body: { hugeJson: { field: 'password', bytes: 3 * 1024 * 1024, extra: { email: 'a@b.test' } } },
    status: 413,
  },
  {
    name: 'GraphQL with a 3 MB query',
    method: 'POST',
    path: '/api/graphql',
    as: 'editor',
    body: { hugeJson: { field: 'query', bytes: 3 * 1024 * 1024 } },
    status: 413,
  },
]

type FieldCase = [label: string, fields: Record<string, unknown>, message: RegExp]

type FieldWriteRoute = {
  action: string
  method: 'POST' | 'PATCH'
  path: string
  /** Valid values the bad ones are merged into, so each case has exactly one mistake. */
  base?: Record<string, unknown>
}

/** One editor write per bad field value: 400, naming the field. */
const fieldWriteCases = (route: FieldWriteRoute, cases: FieldCase[]): BadInputCase[] =>
  cases.map(([label, fields, message]) => ({
    name: `${route.action} with ${label}`,
    method: route.method,
    path: route.path,
    as: 'editor',
    body: { json: { ...route.base, ...fields } },
    status: 400,
    message,
  }))

const validItem = { name: 'Corpus item', price: 100, category: '{category}', _status: 'published' }

/** Field values of the wrong type or out of range, on otherwise valid creates. */
const badItemFields: FieldCase[] = [
  ['price as letters', { price: 'abc' }, /price/i],
  ['price as a huge exponent string', { price: '1e400' }, /price/i],
  ['price with decimals', { price: 1.5 }, /price|whole/i],
  ['a negative price', { price: -1 }, /price|negative/i],
  ['price beyond its maximum', { price: 3_000_000_000 }, /price/i],
  ['price as an object', { price: { $gt: 0 } }, /price/i],
  ['price as a list', { price: [1, 2] }, /price/i],
  ['price as true', { price: true }, /price/i],
  ['no price', { price: undefined }, /price/i],
  ['name as a number', { name: 12345 }, /name/i],
  ['name as an object', { name: { first: 'a' } }, /name/i],
  ['name as a list', { name: ['a', 'b'] }, /name/i],
  ['a 201-character name', { name: 'n'.repeat(201) }, /name/i],
  ['a 100,000-character name', { name: 'n'.repeat(100_000) }, /name/i],
  ['an empty name', { name: '' }, /name/i],
  ['a name with SQL', { name: "x'); DROP TABLE items; --", price: 'oops' }, /price/i],
  ['a script name and a bad price', { name: '<script>alert(1)</script>', price: 'x' }, /price/i],
  ['category as letters', { category: 'abc' }, /category/i],
  ['category that does not exist', { category: 2147483647 }, /category/i],
  ['category past int4', { category: 2147483648 }, /category/i],
  ['category as a list', { category: ['{category}'] }, /category/i],
  ['category as a decimal', { category: 1.5 }, /category/i],
  ['no category', { category: undefined }, /category/i],
  ['images with a missing media id', { images: [2147483647] }, /images/i],
  ['images with letters', { images: ['abc'] }, /images/i],
  ['images as a string', { images: 'abc' }, /images/i],
  ['isAvailable as a string', { isAvailable: 'yes' }, /isAvailable/i],
  ['isAvailable as an object', { isAvailable: {} }, /isAvailable/i],
  ['tags as a string', { tags: 'one,two' }, /tags/i],
  ['tags with an object', { tags: [{ a: 1 }] }, /tags/i],
  ['31 tags', { tags: Array.from({ length: 31 }, (_, index) => `t${index}`) }, /tags/i],
  ['sortOrder as letters', { sortOrder: 'first' }, /sortOrder/i],
  ['a slug with spaces and symbols only', { name: '!!!', slug: '@@@' }, /slug/i],
  ['_status unknown', { _status: 'deleted' }, /_status|status/i],
  ['description as a string (rich text)', { description: 'plain text' }, /description/i],
  ['description as a number', { description: 5 }, /description/i],
  ['description with a bogus root', { description: { root: 'x' } }, /description/i],
  ['an unknown field', { colour: 'red' }, /colour/],
  [
    'a __proto__ key',
    JSON.parse('{"__proto__": {"role": "admin"}, "price": "abc"}') as Record<string, unknown>,
    /price|__proto__/i,
  ],
  ['an id of its own', { id: 'abc' }, /id/i],
  ['createdAt as letters', { createdAt: 'yesterday' }, /createdAt/i],
]

const itemFieldCases = fieldWriteCases(
  { action: 'create an item', method: 'POST', path: '/api/items', base: validItem },
  badItemFields,
)

/** JSON.stringify cannot write 1e400 (it becomes null); JSON.parse reads it as Infinity. */
const overflowingNumberCases: BadInputCase[] = ['price', 'sortOrder'].map((field) => ({
  name: `create an item with ${field} 1e400`,
  method: 'POST',
  path: '/api/items',
  as: 'editor',
  body: {
    raw: `{"name":"Overflow","price":1,"category":{category},"${field}":1e400}`,
    contentType: 'application/json',
  },
  status: 400,
  message: new RegExp(field),
}))

const itemUpdateCases = fieldWriteCases(
  { action: 'update an item', method: 'PATCH', path: '/api/items/{item}' },
  badItemFields.filter(([label]) => !label.startsWith('no ')).slice(0, 20),
)

const validCategory = { name: 'Corpus category', _status: 'published' }

const badCategoryFields: FieldCase[] = [
  ['a 2,001-character description', { description: 'd'.repeat(2001) }, /description/i],
  ['image that does not exist', { image: 2147483647 }, /image/i],
  ['image as letters', { image: 'abc' }, /image/i],
  ['image as a negative number', { image: -3 }, /image/i],
  ['sortOrder as a list', { sortOrder: [1] }, /sortOrder/i],
  ['name as null', { name: null }, /name/i],
  ['an unknown field', { unknown: true }, /unknown/],
]

const categoryFieldCases = fieldWriteCases(
  { action: 'create a category', method: 'POST', path: '/api/categories', base: validCategory },
  badCategoryFields,
)

const badSettings: FieldCase[] = [
  ['currency in lower case', { currency: 'usd' }, /currency|ISO/i],
  ['currency as a number', { currency: 840 }, /currency|ISO/i],
  ['a made-up currency', { currency: 'XYZ' }, /currency|ISO/i],
  ['a 121-character site name', { siteName: 's'.repeat(121) }, /siteName|site name/i],
  ['site name as an object', { siteName: { en: 'x' } }, /siteName|site name/i],
  ['a logo that does not exist', { logo: 2147483647 }, /logo/i],
  ['a logo as letters', { logo: 'abc' }, /logo/i],
  ['a banner past int4', { banner: 2147483648 }, /banner/i],
  ['an unknown field', { theme: 'dark' }, /theme/],
]

const settingsCases = fieldWriteCases(
  { action: 'update the site settings', method: 'POST', path: '/api/globals/site-settings' },
  badSettings,
)

const userCases: BadInputCase[] = [
  {
    name: 'create a user with an invalid email',
    method: 'POST',
    path: '/api/users',
    as: 'admin',
    body: { json: { email: 'not-an-email', password: 'long enough password' } },
    status: 400,
    message: /email/i,
  },
  {
    name: 'create a user with an email as an object',
    method: 'POST',
    path: '/api/users',
    as: 'admin',
    body: { json: { email: { $ne: '' }, password: 'long enough password' } },
    status: 400,
    message: /email/i,
  },
  {
    name: 'create a user with an unknown role',
    method: 'POST',
    path: '/api/users',
    as: 'admin',
    body: { json: { email: 'role@example.test', password: 'long enough password', role: 'root' } },
    status: 400,
    message: /role/i,
  },
  {
    name: 'create a user with a password as a number',
    method: 'POST',
    path: '/api/users',
    as: 'admin',
    body: { json: { email: 'numeric@example.test', password: 12345678901234 } },
    status: 400,
    message: /password/i,
  },
  {
    name: 'create a user with a 121-character name',
    method: 'POST',
    path: '/api/users',
    as: 'admin',
    body: {
      json: { email: 'long@example.test', password: 'long enough password', name: 'n'.repeat(121) },
    },
    status: 400,
    message: /name/i,
  },
  {
    name: 'an editor creating a user',
    method: 'POST',
    path: '/api/users',
    as: 'editor',
    body: { json: { email: 'sneaky@example.test', password: 'long enough password' } },
    status: 403,
  },
  {
    name: 'an editor making themself an admin with a bad name',
    method: 'PATCH',
    path: '/api/users/{editor}',
    as: 'editor',
    body: { json: { role: 'admin', name: { x: 1 } } },
    status: 400,
  },
  {
    name: 'an editor deleting the admin',
    method: 'DELETE',
    path: '/api/users/{admin}',
    as: 'editor',
    status: 403,
  },
  {
    name: 'log in with malformed JSON',
    method: 'POST',
    path: '/api/users/login',
    body: { raw: '{"email":', contentType: 'application/json' },
    status: 400,
    message: /JSON/,
  },
  {
    name: 'log in with a JSON array',
    method: 'POST',
    path: '/api/users/login',
    body: { json: ['a@b.test', 'password'] },
    status: 400,
    message: notAnObject,
  },
  {
    name: 'log in with text/plain',
    method: 'POST',
    path: '/api/users/login',
    body: { raw: 'email=a', contentType: 'text/plain' },
    status: 415,
  },
  {
    name: 'forgot-password with an email as an object',
    method: 'POST',
    path: '/api/users/forgot-password',
    body: { json: { email: { $gt: '' } } },
    status: 400,
    message: /email/i,
  },
  {
    name: 'reset-password with a token as an object',
    method: 'POST',
    path: '/api/users/reset-password',
    body: { json: { token: { $ne: null }, password: 'long enough password' } },
    status: 400,
    message: /token/i,
  },
  {
    name: 'unlock with an email as a list',
    method: 'POST',
    path: '/api/users/unlock',
    as: 'admin',
    body: { json: { email: ['a@b.test'] } },
    status: 400,
    message: /email/i,
  },
  {
    name: 'first-register once users exist',
    method: 'POST',
    path: '/api/users/first-register',
    body: { json: { email: 'first@example.test', password: 'long enough password' } },
    status: 403,
  },
  {
    name: 'verify with a made-up token',
    method: 'POST',
    path: '/api/users/verify/abc',
    status: 404,
  },
  {
    name: 'GET /api/users/me with a forged token',
    method: 'GET',
    path: '/api/users/me',
    headers: { Authorization: 'JWT eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MX0.forged' },
    status: 401,
  },
]

const auditCases: BadInputCase[] = [
  {
    name: 'create an audit entry',
    method: 'POST',
    path: '/api/audit-logs',
    as: 'admin',
    body: { json: { action: 'create', summary: 'forged' } },
    status: 403,
  },
  {
    name: 'change an audit entry',
    method: 'PATCH',
    path: '/api/audit-logs/{audit}',
    as: 'admin',
    body: { json: { summary: 'rewritten' } },
    status: 403,
  },
  {
    name: 'delete an audit entry',
    method: 'DELETE',
    path: '/api/audit-logs/{audit}',
    as: 'admin',
    status: 403,
  },
  {
    name: 'delete every audit entry by query',
    method: 'DELETE',
    path: '/api/audit-logs?where[id][greater_than]=0',
    as: 'admin',
    status: 403,
  },
  {
    name: 'read the audit log anonymously',
    method: 'GET',
    path: '/api/audit-logs',
    status: 403,
  },
  {
    name: 'query the audit changes JSON with an unknown operator',
    method: 'GET',
    path: '/api/audit-logs?where[changes][drop]=1',
    as: 'admin',
    status: 400,
  },
]

/** Writes that delete or update "everything matching" with a where that matches by mistake. */
const bulkCases: BadInputCase[] = [
  {
    name: 'bulk delete items with where as a string',
    method: 'DELETE',
    path: '/api/items?where=everything',
    as: 'editor',
    status: 400,
    message: /where/,
  },
  {
    name: 'bulk delete items with no where at all',
    method: 'DELETE',
    path: '/api/items',
    as: 'editor',
    status: 400,
    message: /where/,
  },
  {
    name: 'bulk update items with no where at all',
    method: 'PATCH',
    path: '/api/items',
    as: 'editor',
    body: { json: { name: 'Everything renamed' } },
    status: 400,
    message: /where/,
  },
  {
    name: 'bulk delete categories with where[id][in] past int4',
    method: 'DELETE',
    path: '/api/categories?where[id][in]=1,2147483648',
    as: 'editor',
    status: 400,
    message: /id/,
  },
  {
    name: 'bulk update items with a wrong-typed price',
    method: 'PATCH',
    path: '/api/items?where[id][equals]={item}',
    as: 'editor',
    body: { json: { price: 'abc' } },
    status: 400,
    message: /price/i,
  },
]

const methodOverride = { 'X-Payload-HTTP-Method-Override': 'GET' }

const form = (raw: string): CaseBody => ({ raw, contentType: 'application/x-www-form-urlencoded' })

/** POSTs that ask to be read as a GET: label, path, body, status, message. */
const overrides: [label: string, path: string, body: CaseBody, status: number, message?: RegExp][] =
  [
    [
      'with malformed JSON',
      '/api/items',
      { raw: '{"where":', contentType: 'application/json' },
      400,
      /JSON/,
    ],
    ['with a JSON array', '/api/items', { json: [1, 2] }, 400, notAnObject],
    ['with where as a string in the form', '/api/items', form('where=abc'), 400, /where/],
    ['with limit=-1 in the form', '/api/categories', form('limit=-1'), 400, /limit/],
    [
      'with price letters in the form',
      '/api/items',
      form('where[price][equals]=abc'),
      400,
      /price/,
    ],
    ['to GET a bad id', '/api/items/abc', form('depth=0'), 400, /id/],
    ['with text/plain', '/api/items', { raw: 'where=x', contentType: 'text/plain' }, 415],
  ]

const methodOverrideCases: BadInputCase[] = [
  ...overrides.map(([label, path, body, status, message]): BadInputCase => ({
    name: `method override ${label}`,
    method: 'POST',
    path,
    as: 'editor',
    headers: methodOverride,
    body,
    status,
    message,
  })),
  ...(
    [
      ['X-HTTP-Method-Override', 'DELETE'],
      ['X-Payload-HTTP-Method-Override', 'PATCH'],
    ] as const
  ).map(([header, value]): BadInputCase => ({
    name: `method override to ${value}`,
    method: 'POST',
    path: '/api/items/{item}',
    as: 'editor',
    headers: { [header]: value },
    body: { json: { name: 'Overridden' } },
    status: 400,
    message: /override/i,
  })),
]

const jpegPart = (filename = 'photo.jpg'): MultipartPart => ({
  name: 'file',
  file: 'jpeg',
  filename,
  type: 'image/jpeg',
})

const payloadPart = (value: unknown): MultipartPart => ({
  name: '_payload',
  value: typeof value === 'string' ? value : JSON.stringify(value),
})

const filePart = (
  file: 'text' | 'svg' | 'empty',
  filename: string,
  type: string,
): MultipartPart => ({
  name: 'file',
  file,
  filename,
  type,
})

/** Multipart writes to the media collection as an editor: name, parts, status, message. */
const uploads: [label: string, parts: MultipartPart[], status: number, message?: RegExp][] = [
  ['upload without a file', [payloadPart({ alt: 'No file' })], 400],
  [
    'upload text claiming to be a JPEG',
    [filePart('text', 'fake.jpg', 'image/jpeg'), payloadPart({ alt: 'Fake' })],
    415,
  ],
  [
    'upload an SVG',
    [filePart('svg', 'x.svg', 'image/svg+xml'), payloadPart({ alt: 'Vector' })],
    415,
  ],
  [
    'upload an empty file',
    [filePart('empty', 'empty.jpg', 'image/jpeg'), payloadPart({ alt: 'Empty' })],
    415,
  ],
  [
    'upload with _payload as malformed JSON',
    [jpegPart(), payloadPart('{"alt":')],
    400,
    /_payload|JSON/,
  ],
  [
    'upload with _payload as a JSON array',
    [jpegPart(), payloadPart('["alt"]')],
    400,
    /JSON object|field is invalid/i,
  ],
  ['upload with _payload as a JSON string', [jpegPart(), payloadPart('"alt"')], 400, notAnObject],
  ['upload without alt text', [jpegPart(), payloadPart({})], 400, /alt/i],
  ['upload with alt as an object', [jpegPart(), payloadPart({ alt: { a: 1 } })], 400, /alt/i],
  [
    'upload with a 301-character alt',
    [jpegPart(), payloadPart({ alt: 'a'.repeat(301) })],
    400,
    /alt/i,
  ],
  ['upload with an unknown field', [jpegPart(), payloadPart({ alt: 'x', owner: 1 })], 400, /owner/],
  [
    'upload with focalX as letters',
    [jpegPart(), payloadPart({ alt: 'x', focalX: 'left' })],
    400,
    /focalX/,
  ],
  [
    'upload with fields outside _payload only',
    [jpegPart(), { name: 'alt', value: 'Loose field' }, { name: 'price', value: 'x' }],
    400,
  ],
]

const uploadCases: BadInputCase[] = [
  ...uploads.map(([name, parts, status, message]): BadInputCase => ({
    name,
    method: 'POST',
    path: '/api/media',
    as: 'editor',
    body: { multipart: parts },
    status,
    message,
  })),
  {
    name: 'upload a multipart body without a boundary',
    method: 'POST',
    path: '/api/media',
    as: 'editor',
    body: { raw: 'not multipart at all', contentType: 'multipart/form-data' },
    status: 400,
  },
  {
    name: 'upload a truncated multipart body',
    method: 'POST',
    path: '/api/media',
    as: 'editor',
    body: {
      raw: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc',
      contentType: 'multipart/form-data; boundary=xyz',
    },
    status: 400,
  },
  {
    name: 'upload as JSON',
    method: 'POST',
    path: '/api/media',
    as: 'editor',
    body: { json: { alt: 'JSON only', filename: 'x.jpg' } },
    status: 400,
  },
  {
    name: 'upload anonymously',
    method: 'POST',
    path: '/api/media',
    body: { multipart: [jpegPart(), payloadPart({ alt: 'anonymous' })] },
    status: 403,
  },
  {
    name: 'replace a media file with text',
    method: 'PATCH',
    path: '/api/media/{media}',
    as: 'editor',
    body: { multipart: [filePart('text', 'swap.png', 'image/png'), payloadPart({})] },
    status: 415,
  },
  {
    name: 'an item create sent as multipart',
    method: 'POST',
    path: '/api/items',
    as: 'editor',
    body: { multipart: [payloadPart({ name: 'x', price: 'abc' })] },
    status: 400,
  },
]

const graphqlQuery = (query: string, variables?: unknown) => ({ json: { query, variables } })

const graphqlCases: BadInputCase[] = [
  ['malformed JSON', { raw: '{"query":', contentType: 'application/json' }],
  ['a JSON array', { json: [{ query: '{ Items { totalDocs } }' }] }],
  ['a JSON string', { json: '{ Items { totalDocs } }' }],
  ['no query', { json: { variables: {} } }],
  ['a query that is a number', { json: { query: 42 } }],
  ['variables as a string', { json: { query: '{ Items { totalDocs } }', variables: 'x' } }],
  ['text/plain', { raw: '{ Items { totalDocs } }', contentType: 'text/plain' }],
  ['a syntax error', graphqlQuery('{ Items { docs { name }')],
  ['an unknown field', graphqlQuery('{ Items { docs { secret } } }')],
  ['an unknown collection', graphqlQuery('{ Secrets { docs { id } } }')],
  ['Item(id: "abc")', graphqlQuery('{ Item(id: "abc") { name } }')],
  ['Item(id: 2147483648)', graphqlQuery('{ Item(id: 2147483648) { name } }')],
  ['Item(id: 1.5)', graphqlQuery('{ Item(id: 1.5) { name } }')],
  [
    'an id variable as letters',
    graphqlQuery('query ($id: Int!) { Item(id: $id) { name } }', { id: 'abc' }),
  ],
  ['a missing variable', graphqlQuery('query ($id: Int!) { Item(id: $id) { name } }')],
  ['limit: -1', graphqlQuery('{ Items(limit: -1) { totalDocs } }')],
  ['limit: 100000', graphqlQuery('{ Items(limit: 100000) { totalDocs } }')],
  ['page: -1', graphqlQuery('{ Items(page: -1) { totalDocs } }')],
  [
    'price equals letters',
    graphqlQuery('{ Items(where: { price: { equals: "abc" } }) { totalDocs } }'),
  ],
  [
    'an unknown where field',
    graphqlQuery('{ Items(where: { nope: { equals: 1 } }) { totalDocs } }'),
  ],
  [
    'category equals letters (JSON scalar)',
    graphqlQuery('{ Items(where: { category: { equals: "abc" } }) { totalDocs } }'),
  ],
  [
    'id in letters (JSON scalar)',
    graphqlQuery('{ Items(where: { id: { in: ["abc"] } }) { totalDocs } }'),
  ],
  [
    'a query 20 levels deep',
    graphqlQuery(
      `{ Categories { docs { ${Array.from({ length: 5 }).reduce<string>((inner) => `items { docs { category { ${inner} } } }`, 'name')} } } }`,
    ),
  ],
  [
    '50 aliases',
    graphqlQuery(
      `{ ${Array.from({ length: 50 }, (_, index) => `a${index}: Items { totalDocs }`).join(' ')} }`,
    ),
  ],
  [
    'a mutation with price letters',
    graphqlQuery('mutation { createItem(data: { name: "x", price: "abc", category: 1 }) { id } }'),
  ],
  [
    'a mutation with price 1e400',
    graphqlQuery(
      'mutation ($c: Int!) { createItem(data: { name: "x", price: 1e400, category: $c }) { id } }',
      { c: '{category}' },
    ),
  ],
  [
    'a mutation with a missing category',
    graphqlQuery(
      'mutation ($c: Int!) { createItem(data: { name: "x", price: 1, category: $c }) { id } }',
      { c: 2147483647 },
    ),
  ],
  [
    'a mutation with an unknown field',
    graphqlQuery('mutation { createCategory(data: { name: "x", colour: "red" }) { id } }'),
  ],
  [
    'a mutation with a 201-character name',
    graphqlQuery(
      `mutation ($c: Int!) { createItem(data: { name: "${'n'.repeat(201)}", price: 1, category: $c }) { id } }`,
      { c: '{category}' },
    ),
  ],
  ['a mutation deleting id "abc"', graphqlQuery('mutation { deleteItem(id: "abc") { id } }')],
  [
    'a mutation updating id 2147483648',
    graphqlQuery('mutation { updateItem(id: 2147483648, data: { name: "x" }) { id } }'),
  ],
  [
    'a mutation updating a missing item',
    graphqlQuery('mutation { updateItem(id: 2147483647, data: { name: "x" }) { id } }'),
  ],
  [
    'a mutation deleting a missing item',
    graphqlQuery('mutation { deleteItem(id: 2147483647) { id } }'),
  ],
  [
    'a mutation with a bad currency',
    graphqlQuery('mutation { updateSiteSetting(data: { currency: "usd" }) { currency } }'),
  ],
  [
    'a mutation creating an audit entry',
    graphqlQuery('mutation { createAuditLog(data: { action: create }) { id } }'),
  ],
  [
    'a mutation with an unknown role',
    graphqlQuery(
      'mutation { createUser(data: { email: "r@x.test", password: "long enough password", role: root }) { id } }',
    ),
  ],
  [
    'login with an email as a number',
    graphqlQuery('mutation { loginUser(email: 5, password: "x") { token } }'),
  ],
].map(([label, body]): BadInputCase => ({
  name: `GraphQL: ${label as string}`,
  method: 'POST',
  path: '/api/graphql',
  as: 'editor',
  body: body as CaseBody,
}))

/** Cookie-authenticated writes from another site: the browser attaches the cookie, the app must not act on it. */
const foreignOrigin = { Origin: 'https://attacker.example' }

const crossSiteCases: BadInputCase[] = [
  ['create a category', 'POST', '/api/categories', { json: validCategory }],
  ['update an item', 'PATCH', '/api/items/{item}', { json: { name: 'Defaced' } }],
  ['delete an item', 'DELETE', '/api/items/{item}', undefined],
  [
    'update the site settings',
    'POST',
    '/api/globals/site-settings',
    { json: { siteName: 'Pwned' } },
  ],
  [
    'create an admin',
    'POST',
    '/api/users',
    { json: { email: 'evil@example.test', password: 'long enough password', role: 'admin' } },
  ],
  ['make the editor an admin', 'PATCH', '/api/users/{editor}', { json: { role: 'admin' } }],
  ['delete the editor', 'DELETE', '/api/users/{editor}', undefined],
  ['log out', 'POST', '/api/users/logout', undefined],
  [
    'upload an image',
    'POST',
    '/api/media',
    { multipart: [jpegPart(), { name: '_payload', value: '{"alt":"cross-site"}' }] },
  ],
  [
    'a GraphQL mutation',
    'POST',
    '/api/graphql',
    { json: { query: 'mutation { createCategory(data: { name: "Cross-site" }) { id } }' } },
  ],
  ['read the user list', 'GET', '/api/users', undefined],
].flatMap(([label, method, path, body]) =>
  (
    [
      ['another site', foreignOrigin],
      ['an opaque origin', { Origin: 'null' }],
      ['the same host on another port', { Origin: 'http://localhost:4000' }],
    ] as const
  ).map(([originLabel, headers]): BadInputCase => ({
    name: `cookie-authenticated ${label as string} from ${originLabel}`,
    method: method as BadInputCase['method'],
    path: path as string,
    as: 'adminCookie',
    headers,
    body: body as CaseBody | undefined,
    status: 403,
  })),
)

const routeCases: BadInputCase[] = [
  {
    name: 'POST /api/catalog',
    method: 'POST',
    path: '/api/catalog',
    body: { json: {} },
    status: 404,
  },
  { name: 'DELETE /api/catalog', method: 'DELETE', path: '/api/catalog', as: 'admin', status: 404 },
  {
    name: 'PATCH /api/catalog',
    method: 'PATCH',
    path: '/api/catalog',
    body: { json: { x: 1 } },
    status: 404,
  },
  { name: 'GET /api/catalog/abc', method: 'GET', path: '/api/catalog/abc', status: 404 },
  { name: 'GET /api/catalog/%00', method: 'GET', path: '/api/catalog/%00', status: 404 },
  { name: 'GET an unknown collection', method: 'GET', path: '/api/secrets', status: 404 },
  { name: 'GET an unknown global', method: 'GET', path: '/api/globals/secrets', status: 404 },
  {
    name: 'GET a global with depth=abc',
    method: 'GET',
    path: '/api/globals/site-settings?depth=abc',
    status: 400,
  },
  {
    name: 'GET a global with where as a string',
    method: 'GET',
    path: '/api/globals/site-settings?where=x',
    status: 400,
  },
  {
    name: 'site-settings versions (not versioned)',
    method: 'GET',
    path: '/api/globals/site-settings/versions/abc',
    as: 'editor',
  },
  {
    name: 'a bad percent escape in the path',
    method: 'GET',
    path: '/api/items/%E0%A4%A',
    status: 400,
  },
  { name: 'a lone percent sign in the path', method: 'GET', path: '/api/items/%', status: 400 },
  { name: 'a bad percent escape in the collection', method: 'GET', path: '/api/%ZZ', status: 400 },
  {
    name: 'a bad percent escape in the query',
    method: 'GET',
    path: '/api/items?where[name][equals]=%E0%A4%A',
    status: 400,
  },
  {
    name: 'a NUL byte in a query value',
    method: 'GET',
    path: '/api/items?where[name][equals]=a%00b',
    status: 400,
  },
  {
    name: 'a NUL byte in a JSON string',
    method: 'POST',
    path: '/api/categories',
    as: 'editor',
    body: { json: { name: 'a\u0000b' } },
    status: 400,
  },
  {
    name: 'duplicate an item with id abc',
    method: 'POST',
    path: '/api/items/abc/duplicate',
    as: 'editor',
    status: 400,
  },
  {
    name: 'doc access with id abc',
    method: 'POST',
    path: '/api/items/access/abc',
    as: 'editor',
    status: 400,
  },
  {
    name: 'count with where as a string',
    method: 'GET',
    path: '/api/items/count?where=abc',
    status: 400,
  },
  {
    name: 'versions with limit=-1',
    method: 'GET',
    path: '/api/items/versions?limit=-1',
    as: 'editor',
    status: 400,
  },
  {
    name: 'versions with where on an unknown field',
    method: 'GET',
    path: '/api/items/versions?where[nope][equals]=1',
    as: 'editor',
    status: 400,
  },
  {
    name: 'PUT on a collection',
    method: 'PUT',
    path: '/api/items/{item}',
    as: 'editor',
    body: { json: { name: 'x' } },
  },
]

export const badInputCorpus: BadInputCase[] = [
  ...idCases,
  ...coercedIdCases,
  ...versionIdCases,
  ...missingDocumentCases,
  ...listQueryCases,
  ...wrongTypeWhereCases,
  ...bodyShapeCases,
  ...hugeBodyCases,
  ...itemFieldCases,
  ...overflowingNumberCases,
  ...itemUpdateCases,
  ...categoryFieldCases,
  ...settingsCases,
  ...userCases,
  ...auditCases,
  ...bulkCases,
  ...methodOverrideCases,
  ...uploadCases,
  ...graphqlCases,
  ...crossSiteCases,
  ...routeCases,
]
