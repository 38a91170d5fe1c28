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

/**
 * Files the runner makes for multipart parts. `hugePng`: 16,000 × 16,000 pixels in a few KB;
 * `framesPastPixelLimit`: an animated WebP whose frames are each under MEDIA_MAX_PIXELS and together
 * over it.
 */
export type FileKind = 'jpeg' | 'text' | 'empty' | 'svg' | 'hugePng' | 'framesPastPixelLimit'

export type MultipartPart =
  { name: string; value: string } | { name: string; file: FileKind; filename: string; type: string }

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

export type FieldCase = [label: string, fields: Record<string, unknown>, message: RegExp]

export type FieldWriteRoute = {
  action: string
  method: 'POST' | 'PATCH'
  path: string
  /** Valid values the bad ones are merged into, so each case has exactly one mistake. */
  base?: Record<string, unknown>
  /** Who writes; an editor unless said. */
  as?: Principal
  /** The same write over GraphQL: the mutation, its `data` input type, and the id it updates. */
  graphql: { mutation: string; inputType: string; id?: string }
}

/** One write per bad field value: 400, naming the field. */
const fieldWriteCases = (route: FieldWriteRoute, cases: FieldCase[]): BadInputCase[] =>
  cases.map(([label, fields, message]) => ({
    name: `${route.action} with ${label}`,
    method: route.method,
    path: route.path,
    as: route.as ?? 'editor',
    body: { json: { ...route.base, ...fields } },
    status: 400,
    message,
  }))

/**
 * The field validation classes: bad values of each field of items, categories, the site settings
 * and users. They must be refused alike over every API; `graphqlFieldWriteCases` sends them as
 * GraphQL mutations.
 */
export const fieldValidationClasses: { route: FieldWriteRoute; cases: FieldCase[] }[] = []

const fieldValidationClass = (route: FieldWriteRoute, cases: FieldCase[]): BadInputCase[] => {
  fieldValidationClasses.push({ route, cases })
  return fieldWriteCases(route, cases)
}

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

const createItemRoute: FieldWriteRoute = {
  action: 'create an item',
  method: 'POST',
  path: '/api/items',
  base: validItem,
  graphql: { mutation: 'createItem', inputType: 'mutationItemInput!' },
}

const itemFieldCases = fieldValidationClass(createItemRoute, badItemFields)

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

const updateItemRoute: FieldWriteRoute = {
  action: 'update an item',
  method: 'PATCH',
  path: '/api/items/{item}',
  graphql: { mutation: 'updateItem', inputType: 'mutationItemUpdateInput!', id: '{item}' },
}

const itemUpdateCases = fieldValidationClass(
  updateItemRoute,
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

const categoryFieldCases = fieldValidationClass(
  {
    action: 'create a category',
    method: 'POST',
    path: '/api/categories',
    base: validCategory,
    graphql: { mutation: 'createCategory', inputType: 'mutationCategoryInput!' },
  },
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

const settingsCases = fieldValidationClass(
  {
    action: 'update the site settings',
    method: 'POST',
    path: '/api/globals/site-settings',
    graphql: { mutation: 'updateSiteSetting', inputType: 'mutationSiteSettingInput!' },
  },
  badSettings,
)

const validUser = { email: 'corpus-user@example.test', password: 'long enough password' }

const badUserFields: FieldCase[] = [
  ['an invalid email', { email: 'not-an-email' }, /email/i],
  ['an email as an object', { email: { $ne: '' } }, /email/i],
  ['an unknown role', { role: 'root' }, /role/i],
  ['a password as a number', { password: 12345678901234 }, /password/i],
  ['a 121-character name', { name: 'n'.repeat(121) }, /name/i],
]

const userFieldCases = fieldValidationClass(
  {
    action: 'create a user',
    method: 'POST',
    path: '/api/users',
    base: validUser,
    as: 'admin',
    graphql: { mutation: 'createUser', inputType: 'mutationUserInput!' },
  },
  badUserFields,
)

const userCases: BadInputCase[] = [
  ...userFieldCases,
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
  file: Exclude<FileKind, 'jpeg'>,
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
    'upload a 16,000 × 16,000 PNG of a few KB (a pixel bomb)',
    [filePart('hugePng', 'bomb.png', 'image/png'), payloadPart({ alt: 'Bomb' })],
    413,
    /16000 × 16000 pixels \(256 megapixels\); the largest accepted is/,
  ],
  [
    'upload an animated WebP whose frames add up past the pixel limit',
    [filePart('framesPastPixelLimit', 'frames.webp', 'image/webp'), payloadPart({ alt: 'Frames' })],
    413,
    /3 frames of 4000 × 4000 pixels/,
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

/**
 * Several sign-in operations in one GraphQL request: each would be a password (or token) check
 * that the rate limits and the audit log count per request. Refused as a whole, before any runs.
 */
const signInMutation = (body: string) => graphqlQuery(`mutation { ${body} }`)
const loginField = (alias: string) =>
  `${alias}: loginUser(email: "nobody@example.test", password: "not-the-password") { token }`
const graphqlSignInCases: BadInputCase[] = (
  [
    [
      'ten loginUser aliases',
      10,
      signInMutation(Array.from({ length: 10 }, (_, index) => loginField(`a${index}`)).join(' ')),
    ],
    [
      'two logins through a fragment',
      2,
      graphqlQuery(
        `mutation { ...Twice } fragment Twice on Mutation { ${loginField('a')} ${loginField('b')} }`,
      ),
    ],
    [
      'a login inline and one in an inline fragment',
      2,
      signInMutation(`${loginField('a')} ... on Mutation { ${loginField('b')} }`),
    ],
    [
      'a login and a forgotten password',
      2,
      signInMutation(`${loginField('a')} forgotPasswordUser(email: "nobody@example.test")`),
    ],
    [
      'two password resets',
      2,
      signInMutation(
        'a: resetPasswordUser(token: "x", password: "long enough password") { token } b: resetPasswordUser(token: "y", password: "long enough password") { token }',
      ),
    ],
    [
      'two email verifications',
      2,
      signInMutation('a: verifyEmailUser(token: "x") b: verifyEmailUser(token: "y")'),
    ],
  ] as const
).map(([label, count, body]): BadInputCase => ({
  name: `GraphQL: ${label}`,
  method: 'POST',
  path: '/api/graphql',
  body,
  status: 400,
  message: new RegExp(`A request may hold one sign-in operation .*; this one holds ${count}\\.`),
}))

/** Categories → items → category, `length` fragments deep, each spreading the next. */
const fragmentChain = (length: number) =>
  `{ Categories { docs { ...F0 } } } ${Array.from(
    { length },
    (_, index) =>
      `fragment F${index} on Category { items { docs { category { ${index < length - 1 ? `...F${index + 1}` : 'name'} } } } }`,
  ).join(' ')}`

/**
 * Documents the GraphQL spec's validation rules refuse, and requests with no document to run: each
 * gets 400 with the spec's message (graphql-js's wording) and runs nothing. Fragment cycles, a
 * subscription and bad `@include`/`@skip` arguments reached Payload's cost rule and ended in a 500.
 */
const graphqlDocuments: [label: string, body: CaseBody, message: RegExp][] = [
  [
    'a fragment cycle',
    graphqlQuery('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    /Cannot spread fragment "A" within itself via "B"/,
  ],
  [
    'a fragment spreading itself',
    graphqlQuery('query { ...A } fragment A on Query { ...A }'),
    /Cannot spread fragment "A" within itself/,
  ],
  [
    'a mutation whose selection is a fragment cycle',
    graphqlQuery(
      'mutation { createCategory(data: { name: "Cycle" }) { ...A } } fragment A on Category { ...B } fragment B on Category { ...A }',
    ),
    /Cannot spread fragment "A" within itself via "B"/,
  ],
  [
    'a subscription',
    graphqlQuery('subscription { x }'),
    /The subscription operation is not supported by the schema/,
  ],
  [
    'a subscription to a real field',
    graphqlQuery('subscription { Items { totalDocs } }'),
    /The subscription operation is not supported by the schema/,
  ],
  [
    '@include without its argument',
    graphqlQuery('{ Items @include { totalDocs } }'),
    /Directive "@include" argument "if" of type "Boolean!" is required/,
  ],
  [
    '@include with a string',
    graphqlQuery('{ Items @include(if: "yes") { totalDocs } }'),
    /Boolean cannot represent a non boolean value/,
  ],
  [
    '@skip with an undefined variable',
    graphqlQuery('{ Items @skip(if: $hidden) { totalDocs } }'),
    /Variable "\$hidden" is not defined/,
  ],
  [
    '@skip with a variable of the wrong type',
    graphqlQuery('query ($hidden: String) { Items @skip(if: $hidden) { totalDocs } }', {
      hidden: 'yes',
    }),
    /Variable "\$hidden" of type "String" used in position expecting type "Boolean!"/,
  ],
  [
    '@skip with a required variable not sent',
    graphqlQuery('query ($hidden: Boolean!) { Items @skip(if: $hidden) { totalDocs } }'),
    /Variable "\$hidden" of required type "Boolean!" was not provided/,
  ],
  [
    'an operationName that names no operation',
    { json: { query: 'query A { Items { totalDocs } }', operationName: 'Missing' } },
    /Unknown operation named "Missing"/,
  ],
  [
    'two operations and no operationName',
    graphqlQuery('query A { Items { totalDocs } } query B { SiteSetting { siteName } }'),
    /Must provide operation name if query contains multiple operations/,
  ],
  [
    'an operationName with a single anonymous operation',
    { json: { query: '{ Items { totalDocs } }', operationName: 'A' } },
    /Unknown operation named "A"/,
  ],
  [
    'two anonymous operations',
    graphqlQuery('{ Items { totalDocs } } { SiteSetting { siteName } }'),
    /This anonymous operation must be the only defined operation/,
  ],
  [
    'two operations of the same name',
    graphqlQuery('query A { Items { totalDocs } } query A { SiteSetting { siteName } }'),
    /There can be only one operation named "A"/,
  ],
  [
    'a type definition',
    graphqlQuery('type Secret { value: String } { Items { totalDocs } }'),
    /The "Secret" definition is not executable/,
  ],
  ['only a fragment', graphqlQuery('fragment A on Query { Items { totalDocs } }'), /never used/],
  ['an empty query', graphqlQuery(''), /Syntax Error: Unexpected <EOF>/],
  ['only a comment', graphqlQuery('# { Items { totalDocs } }'), /Syntax Error/],
  [
    'an unknown directive',
    graphqlQuery('{ Items @cached { totalDocs } }'),
    /Unknown directive "@cached"/,
  ],
  [
    'an unknown argument',
    graphqlQuery('{ Items(orderBy: "name") { totalDocs } }'),
    /Unknown argument "orderBy" on field "Query.Items"/,
  ],
  [
    'a fragment on an unknown type',
    graphqlQuery('{ ...A } fragment A on Secret { value }'),
    /Unknown type "Secret"/,
  ],
  ['an unknown fragment', graphqlQuery('{ ...Missing }'), /Unknown fragment "Missing"/],
  [
    'an unused fragment',
    graphqlQuery('{ Items { totalDocs } } fragment A on Query { SiteSetting { siteName } }'),
    /Fragment "A" is never used/,
  ],
  [
    'a fragment spread where its type cannot be',
    graphqlQuery('{ Items { ...A } } fragment A on Category { name }'),
    /Fragment "A" cannot be spread here/,
  ],
  [
    'an unused variable',
    graphqlQuery('query ($limit: Int) { Items { totalDocs } }'),
    /Variable "\$limit" is never used/,
  ],
  [
    'an undefined variable',
    graphqlQuery('{ Items(limit: $limit) { totalDocs } }'),
    /Variable "\$limit" is not defined/,
  ],
  [
    'a variable of an unknown type',
    graphqlQuery('query ($limit: Long) { Items(limit: $limit) { totalDocs } }'),
    /Unknown type "Long"/,
  ],
  [
    'a variable of an output type',
    graphqlQuery('query ($item: Item) { Items { totalDocs } }'),
    /Variable "\$item" cannot be non-input type "Item"/,
  ],
  [
    'a Boolean variable where an Int goes',
    graphqlQuery('query ($draft: Boolean) { Items(page: $draft) { totalDocs } }', { draft: true }),
    /Variable "\$draft" of type "Boolean" used in position expecting type "Int"/,
  ],
  [
    'a variable value of the wrong type',
    graphqlQuery('query ($draft: Boolean) { Items(draft: $draft) { totalDocs } }', {
      draft: 'yes',
    }),
    /Variable "\$draft" got invalid value "yes"; Boolean cannot represent a non boolean value/,
  ],
  [
    'a required variable not sent',
    graphqlQuery('query ($id: Int!) { Item(id: $id) { name } }'),
    /Variable "\$id" of required type "Int!" was not provided/,
  ],
  ['a list without a selection', graphqlQuery('{ Items }'), /must have a selection of subfields/],
  [
    'a selection on a number',
    graphqlQuery('{ Items { totalDocs { value } } }'),
    /must not have a selection since type "Int!" has no subfields/,
  ],
  [
    'two fields under one name',
    graphqlQuery('{ Items { docs { name: price name } } }'),
    /Fields "name" conflict/,
  ],
  [
    'a mutation with data of the wrong type',
    graphqlQuery('mutation { createItem(data: "x") { id } }'),
    /Expected value of type "mutationItemInput!"/,
  ],
  [
    'a mutation without its data',
    graphqlQuery('mutation { createItem { id } }'),
    /argument "data" of type "mutationItemInput!" is required/,
  ],
  [
    'a query nested 3,000 brackets deep',
    graphqlQuery(`{${'a{'.repeat(3000)}b${'}'.repeat(3000)}}`),
    /nests brackets more than 64 levels deep/,
  ],
  [
    'a query of 6,000 tokens',
    graphqlQuery(`{ Items { docs { ${'name '.repeat(6000)}} } }`),
    /more than 5000 tokens/,
  ],
  [
    'fragments spread 150 deep',
    graphqlQuery(fragmentChain(150)),
    /Query depth limit of 10 exceeded/,
  ],
  [
    'fragments spread 600 deep (a stack overflow in the cost rule)',
    graphqlQuery(fragmentChain(600)),
    /more than 5000 tokens/,
  ],
  [
    '21 directives',
    graphqlQuery(`{ Items { docs { ${'name @include(if: true) '.repeat(21)}} } }`),
    /Directives limit of 20 exceeded/,
  ],
  ['a body without a query', { json: { variables: {} } }, /no query/],
  [
    'a query that is an object',
    { json: { query: { kind: 'Document' } } },
    /query must be a string/,
  ],
  [
    'variables as a list',
    { json: { query: '{ Items { totalDocs } }', variables: [1] } },
    /variables must be a JSON object/,
  ],
  [
    'operationName as a number',
    { json: { query: '{ Items { totalDocs } }', operationName: 1 } },
    /operationName must be a string/,
  ],
  [
    'extensions as a string',
    { json: { query: '{ Items { totalDocs } }', extensions: 'persisted' } },
    /extensions must be a JSON object/,
  ],
]

const graphqlDocumentCases: BadInputCase[] = [
  ...graphqlDocuments.map(([label, body, message]): BadInputCase => ({
    name: `GraphQL: ${label}`,
    method: 'POST',
    path: '/api/graphql',
    as: 'editor',
    body,
    status: 400,
    message,
  })),
  {
    name: 'GraphQL: a fragment cycle, anonymously',
    method: 'POST',
    path: '/api/graphql',
    body: graphqlQuery('{ ...A } fragment A on Query { ...A }'),
    status: 400,
    message: /Cannot spread fragment "A" within itself/,
  },
  {
    name: 'GraphQL: a charset other than UTF-8',
    method: 'POST',
    path: '/api/graphql',
    as: 'editor',
    body: {
      raw: '{"query":"{ Items { totalDocs } }"}',
      contentType: 'application/json; charset=latin1',
    },
    status: 415,
    message: /UTF-8/,
  },
  {
    name: 'GraphQL: an Accept that excludes JSON',
    method: 'POST',
    path: '/api/graphql',
    as: 'editor',
    headers: { Accept: 'text/html' },
    body: graphqlQuery('{ Items { totalDocs } }'),
    status: 406,
    message: /application\/json/,
  },
  ...(
    [
      ['PUT', '/api/graphql'],
      ['DELETE', '/api/graphql'],
    ] as const
  ).map(([method, path]): BadInputCase => ({
    name: `GraphQL over ${method} ${path}`,
    method,
    path,
    as: 'editor',
    body: method === 'PUT' ? graphqlQuery('{ Items { totalDocs } }') : undefined,
    status: 405,
    message: /POST/,
  })),
  ...(
    [
      [
        'a mutation',
        `query=${encodeURIComponent('mutation { createCategory(data: { name: "Over GET" }) { id } }')}`,
        405,
        /by POST/,
      ],
      ['no query', '', 400, /no query/],
      [
        'variables that are not JSON',
        'query=%7B%20Items%20%7B%20totalDocs%20%7D%20%7D&variables=x',
        400,
        /JSON/,
      ],
    ] as const
  ).map(([label, search, status, message]): BadInputCase => ({
    name: `GraphQL over GET with ${label}`,
    method: 'GET',
    path: search ? `/api/graphql?${search}` : '/api/graphql',
    as: 'editor',
    status,
    message,
  })),
]

/**
 * Rich text that is not a Lexical editor state the editor can load. Lexical's hooks walked such
 * nodes before validation ran (a 500 for `children: "x"` or `[1]`) or stored them as they came.
 */
/** A paragraph holding one link node (`link` or `autolink`) to `url`. */
const descriptionWithLink = (url: unknown, type = 'link') => ({
  root: {
    type: 'root',
    children: [
      {
        type: 'paragraph',
        children: [
          { type, fields: { url, linkType: 'custom' }, children: [{ type: 'text', text: 'x' }] },
        ],
      },
    ],
  },
})

const badDescriptions: [label: string, description: unknown][] = [
  ['a javascript: link', descriptionWithLink('javascript:alert(document.cookie)')],
  ['a JaVaScRiPt: autolink', descriptionWithLink('JaVaScRiPt:alert(1)', 'autolink')],
  ['a link to java<tab>script:', descriptionWithLink('java\tscript:alert(1)')],
  ['a link to an entity-encoded javascript:', descriptionWithLink('&#106;avascript:alert(1)')],
  ['a data: link', descriptionWithLink('data:text/html,<script>alert(1)</script>')],
  ['a vbscript: link', descriptionWithLink(' vbscript:msgbox(1)')],
  ['a link URL as a number', descriptionWithLink(42)],
  ['root children as a string', { root: { type: 'root', children: 'x' } }],
  ['root children as null', { root: { type: 'root', children: null } }],
  ['no root children', { root: { type: 'root' } }],
  ['a root without a type', { root: { children: [] } }],
  ['a root of another type', { root: { type: 'paragraph', children: [] } }],
  ['a number for a node', { root: { type: 'root', children: [1] } }],
  ['an empty node', { root: { type: 'root', children: [{}] } }],
  ['a node without a type', { root: { type: 'root', children: [{ children: [], version: 1 }] } }],
  ['an unknown node type', { root: { type: 'root', children: [{ type: 'script', version: 1 }] } }],
  ['a nested root', { root: { type: 'root', children: [{ type: 'root', children: [] }] } }],
  [
    'a paragraph with children as a string',
    { root: { type: 'root', children: [{ type: 'paragraph', children: 'x' }] } },
  ],
  [
    'a text node whose text is a number',
    {
      root: {
        type: 'root',
        children: [{ type: 'paragraph', children: [{ type: 'text', text: 5, version: 1 }] }],
      },
    },
  ],
  [
    'a text format of 1e300',
    {
      root: {
        type: 'root',
        children: [{ type: 'paragraph', children: [{ type: 'text', text: 'x', format: 1e300 }] }],
      },
    },
  ],
  [
    'an indent of a billion',
    { root: { type: 'root', children: [{ type: 'paragraph', children: [], indent: 1e9 }] } },
  ],
  [
    'paragraphs nested 25 deep',
    {
      root: {
        type: 'root',
        children: [
          Array.from({ length: 24 }).reduce<unknown>(
            (inner) => ({ type: 'paragraph', children: [inner] }),
            { type: 'text', text: 'deep' },
          ),
        ],
      },
    },
  ],
]

const createItemWithDescription =
  'mutation ($category: Int!, $description: JSON) { createItem(data: { name: "Corpus rich text", price: 100, category: $category, description: $description }) { id } }'
const updateItemDescription =
  'mutation ($id: Int!, $description: JSON) { updateItem(id: $id, data: { description: $description }) { id } }'

const richTextCases: BadInputCase[] = [
  ...fieldWriteCases(
    createItemRoute,
    badDescriptions.map(([label, description]) => [
      `a description with ${label}`,
      { description },
      /description/,
    ]),
  ),
  ...fieldWriteCases(
    updateItemRoute,
    badDescriptions.map(([label, description]) => [
      `a description with ${label}`,
      { description },
      /description/,
    ]),
  ),
  ...[
    ...badDescriptions,
    ['root as a string', { root: 'x' }],
    ['no root', { children: [] }],
    ['a list', []],
  ].flatMap(([label, description]): BadInputCase[] => [
    {
      name: `GraphQL: createItem with a description with ${label as string}`,
      method: 'POST',
      path: '/api/graphql',
      as: 'editor',
      body: graphqlQuery(createItemWithDescription, { category: '{category}', description }),
      status: 400,
      message: /description/,
    },
    {
      name: `GraphQL: updateItem with a description with ${label as string}`,
      method: 'POST',
      path: '/api/graphql',
      as: 'editor',
      body: graphqlQuery(updateItemDescription, { id: '{item}', description }),
      status: 400,
      message: /description/,
    },
  ]),
]

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

/**
 * The app's file route, as old links, bookmarks and tools still use it. With R2_PUBLIC_BASE set (as
 * in the tests) a stored name is redirected; these names can never be, whoever asks.
 */
const mediaFileCases: BadInputCase[] = (
  [
    ['a name no document stores', 'missing-0123456789.jpg', 404],
    ['a stored-looking name and another prefix', 'missing-0123456789.jpg?prefix=elsewhere', 404],
    ['an encoded parent directory', '..%2F..%2Fpayload.config.ts', 400],
    ['an encoded backslash', '..%5C..%5Cwin.ini', 400],
    ['a NUL byte', 'image.jpg%00.png', 400],
    ['a dot file', '.env', 400],
    ['a space', 'two%20words.jpg', 400],
    ['a script tag', '%3Cscript%3E.jpg', 400],
    ['a 300-character name', `${'a'.repeat(300)}.jpg`, 400],
  ] as const
).flatMap(([label, segment, status]) =>
  (['anonymous', 'editor'] as const).map((as): BadInputCase => ({
    name: `GET /api/media/file with ${label} as ${as}`,
    method: 'GET',
    path: `/api/media/file/${segment}`,
    as,
    status,
  })),
)

/** `count` conditions joined by `key`, each made by `condition(index)`, as a query string. */
const whereList = (key: 'and' | 'or', count: number, condition: (index: number) => string) =>
  Array.from({ length: count }, (_, index) => `where[${key}][${index}]${condition(index)}`).join(
    '&',
  )

/**
 * Queries that cost the database far more than they are worth: wide and/or lists, and many
 * relationship paths (each one a join of its own, planning time growing with their square — the
 * 100-way `or` on category.name took seconds). Refused before any SQL, whoever asks.
 */
const queryCostCases: BadInputCase[] = [
  [
    'a 100-way or on category.name (seconds of planning)',
    `/api/items?limit=1&${whereList('or', 100, (index) => `[category.name][like]=guess${index}`)}`,
    /at most 25/,
  ],
  [
    'an or list of 26 names',
    `/api/items?${whereList('or', 26, (index) => `[name][equals]=n${index}`)}`,
    /"or" list holds 26 conditions; at most 25/,
  ],
  [
    'an and list of 26 prices',
    `/api/items?${whereList('and', 26, (index) => `[price][not_equals]=${index}`)}`,
    /"and" list holds 26 conditions; at most 25/,
  ],
  [
    '101 conditions in lists of 25',
    `/api/items?${Array.from({ length: 5 }, (_, branch) =>
      Array.from(
        { length: 21 },
        (_, index) => `where[or][${branch}][and][${index}][price][not_equals]=${index}`,
      ).join('&'),
    ).join('&')}`,
    /more than 100 conditions/,
  ],
  [
    '9 relationship paths in an or',
    `/api/items?${whereList('or', 9, (index) => `[category.name][equals]=c${index}`)}`,
    /relationships .*at most 8/,
  ],
  [
    '9 relationship paths, one of them a second operator',
    `/api/items?${whereList('and', 8, (index) => `[category.slug][not_equals]=c${index}`)}&where[category.name][like]=a&where[category.name][not_like]=b`,
    /relationships .*at most 8/,
  ],
  [
    '8 relationship paths in where and one in sort',
    `/api/items?sort=images.alt&${whereList('or', 8, (index) => `[category.name][equals]=c${index}`)}`,
    /relationships .*at most 8/,
  ],
  [
    '9 relationship paths in a join where',
    `/api/categories?${Array.from({ length: 9 }, (_, index) => `joins[items][where][or][${index}][category.slug][equals]=c${index}`).join('&')}`,
    /joins\[items\].*at most 8/,
  ],
]
  .map(([label, path, message]): BadInputCase => ({
    name: `GET ${label}`,
    method: 'GET',
    path: path as string,
    status: 400,
    message: message as RegExp,
  }))
  .concat([
    {
      name: 'POST with method override: a 100-way or on category.name in the form body',
      method: 'POST',
      path: '/api/items',
      headers: methodOverride,
      body: form(whereList('or', 100, (index) => `[category.name][like]=guess${index}`)),
      status: 400,
      message: /at most 25/,
    },
    {
      name: 'GraphQL: an OR list of 26 conditions',
      method: 'POST',
      path: '/api/graphql',
      body: graphqlQuery(
        `{ Items(where: { OR: [${Array.from({ length: 26 }, (_, index) => `{ name: { equals: "n${index}" } }`).join(', ')}] }) { totalDocs } }`,
      ),
      status: 400,
      message: /"OR" list holds 26 conditions; at most 25/,
    },
  ])

/**
 * Query parameters Payload read without a check and answered with a 500, or silently took as
 * something else: text operators on rich text and JSON (jsonb), `all` (the PostgreSQL adapter has
 * none), paths through join fields, and the contents of `joins`.
 */
const queryShapes: [label: string, path: string, as: Principal, message: RegExp][] = [
  ['like on rich text', '/api/items?where[description][like]=tea', 'anonymous', /description/],
  ['contains on rich text', '/api/items?where[description][contains]=a', 'anonymous', /richText/],
  ['not_like on rich text', '/api/items?where[description][not_like]=a', 'anonymous', /like/],
  [
    'greater_than on rich text',
    '/api/items?where[description][greater_than]=a',
    'anonymous',
    /greater_than/,
  ],
  ['like on a JSON field', '/api/audit-logs?where[changes][like]=a', 'admin', /json/],
  ['contains on a JSON field', '/api/audit-logs?where[changes][contains]=a', 'admin', /json/],
  ['not_like on a JSON field', '/api/audit-logs?where[changes][not_like]=a', 'admin', /json/],
  ['all on a text field', '/api/items?where[name][all]=a,b', 'anonymous', /"all"/],
  ['all on a hasMany text field', '/api/items?where[tags][all]=a,b', 'anonymous', /"all"/],
  ['all on an id', '/api/items?where[id][all]=1,2', 'anonymous', /"all"/],
  ['all on a relationship', '/api/items?where[category][all]=1', 'anonymous', /"all"/],
  ['all on rich text', '/api/items?where[description][all]=a', 'anonymous', /"all"/],
  ['all on a JSON field', '/api/audit-logs?where[changes][all]=a', 'admin', /"all"/],
  [
    'a path through a relationship into a join',
    '/api/items?where[category.items.name][like]=a',
    'anonymous',
    /join field items/,
  ],
  [
    'a path ending on a join behind a relationship',
    '/api/items?where[category.items][exists]=true',
    'anonymous',
    /join field items/,
  ],
  [
    'a relationship path after a join',
    '/api/categories?where[items.category.name][like]=a',
    'anonymous',
    /join field items/,
  ],
  [
    'an upload path after a join',
    '/api/categories?where[items.images.alt][like]=a',
    'anonymous',
    /join field items/,
  ],
  [
    'joins[items]=abc',
    '/api/categories?joins[items]=abc',
    'anonymous',
    /joins\[items\] must be false or an object/,
  ],
  [
    'joins on an unknown join field',
    '/api/categories?joins[nope][limit]=1',
    'anonymous',
    /no join field "nope"; it has items/,
  ],
  [
    'joins on a collection without joins',
    '/api/items?joins[items][limit]=1',
    'anonymous',
    /items has no join field/,
  ],
  [
    'an unknown join setting',
    '/api/categories?joins[items][depth]=9',
    'anonymous',
    /not a join setting/,
  ],
  [
    'joins[items][limit]=0 (every item)',
    '/api/categories?joins[items][limit]=0',
    'anonymous',
    /joins\[items\]\[limit\].*1 to 100/,
  ],
  [
    'joins[items][limit]=101',
    '/api/categories?joins[items][limit]=101',
    'anonymous',
    /joins\[items\]\[limit\]/,
  ],
  [
    'joins[items][limit]=abc',
    '/api/categories/{category}?joins[items][limit]=abc',
    'anonymous',
    /joins\[items\]\[limit\]/,
  ],
  [
    'joins[items][page]=0',
    '/api/categories?joins[items][page]=0',
    'anonymous',
    /joins\[items\]\[page\]/,
  ],
  [
    'joins[items][count]=maybe',
    '/api/categories?joins[items][count]=maybe',
    'anonymous',
    /joins\[items\]\[count\]/,
  ],
  [
    'joins[items][sort] on an unknown field',
    '/api/categories?joins[items][sort]=nope',
    'anonymous',
    /joins\[items\]\[sort\]/,
  ],
  [
    'joins[items][sort] through a relationship',
    '/api/categories?joins[items][sort]=category.name',
    'editor',
    /one field of items/,
  ],
  [
    'joins[items][sort] as a list',
    '/api/categories?joins[items][sort][0]=name',
    'anonymous',
    /joins\[items\]\[sort\]/,
  ],
  [
    'joins[items][where]=abc',
    '/api/categories?joins[items][where]=abc',
    'anonymous',
    /joins\[items\]\[where\]/,
  ],
  [
    'joins[items][where] without an operator',
    '/api/categories?joins[items][where][name]=x',
    'anonymous',
    /operator/,
  ],
  [
    'joins[items][where] with a number as letters',
    '/api/categories?joins[items][where][price][equals]=abc',
    'anonymous',
    /price/,
  ],
  [
    'joins[items][where] like on rich text',
    '/api/categories?joins[items][where][description][like]=a',
    'anonymous',
    /description/,
  ],
  [
    'sort through a relationship into drafts',
    '/api/items?sort=category.name',
    'anonymous',
    /some of which you cannot read/,
  ],
  [
    'sort through two relationships into drafts',
    '/api/items?sort=-category.image.alt',
    'anonymous',
    /some of which you cannot read/,
  ],
]

const queryShapeCases: BadInputCase[] = queryShapes.map(([label, path, as, message]) => ({
  name: `GET ${label} as ${as}`,
  method: 'GET',
  path,
  as,
  status: 400,
  message,
}))

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
  ...graphqlSignInCases,
  ...graphqlDocumentCases,
  ...richTextCases,
  ...crossSiteCases,
  ...routeCases,
  ...mediaFileCases,
  ...queryCostCases,
  ...queryShapeCases,
]

/**
 * Bad values GraphQL reads as good ones: input coercion turns a single value into a list of one
 * (the spec's list input coercion), so `tags: "one,two"` is the valid `["one,two"]` there.
 */
const readAsValidByGraphQL = new Set(['tags as a string'])

const graphqlFieldWrite = (
  { mutation, inputType, id }: FieldWriteRoute['graphql'],
  data: Record<string, unknown>,
): CaseBody =>
  id
    ? graphqlQuery(
        `mutation ($id: Int!, $data: ${inputType}) { ${mutation}(id: $id, data: $data) { __typename } }`,
        { id, data },
      )
    : graphqlQuery(`mutation ($data: ${inputType}) { ${mutation}(data: $data) { __typename } }`, {
        data,
      })

/**
 * Every case of the field validation classes, as the same write over GraphQL: refused alike, with a
 * 400 naming the field, whether GraphQL's types catch it or the fields' validation does.
 */
export const graphqlFieldWriteCases: BadInputCase[] = fieldValidationClasses.flatMap(
  ({ route, cases }) =>
    cases
      .filter(([label]) => !readAsValidByGraphQL.has(label))
      .map(([label, fields, message]) => ({
        name: `GraphQL: ${route.action} with ${label}`,
        method: 'POST' as const,
        path: '/api/graphql',
        as: route.as ?? 'editor',
        body: graphqlFieldWrite(route.graphql, { ...route.base, ...fields }),
        status: 400,
        message,
      })),
)
