import {
  createLocalReq,
  Forbidden,
  formatNames,
  initTransaction,
  killTransaction,
  toWords,
  type CollectionSlug,
  type Payload,
  type SanitizedCollectionConfig,
} from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  keepLastAdminOnDelete,
  lastAdminMessage,
} from '../../collections/Users/hooks/keepLastAdmin'
import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { Category, User } from '../../payload-types'
import { graphql, loginToken, rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import {
  closePayload,
  config,
  createUser,
  initPayload,
  testPassword,
  uniqueName,
} from '../helpers/payload'
import { uploadMedia } from '../helpers/uploads'
import { importExportSlugs } from '../../src/config/editorial/importExport'

/**
 * Who may do what, as one table: every role × every collection and global × create, read, update
 * and delete, each checked over REST and over GraphQL. docs/SECURITY.md shows the same table.
 *
 * - allowed: the operation succeeds and its effect is visible.
 * - denied: 401/403 (REST) or a "not allowed" GraphQL error, and nothing changes.
 * - ownOnly: allowed on the user's own account, denied on anyone else's.
 * - publishedOnly: published documents are visible, drafts are not, even with `draft=true`.
 */
type Outcome = 'allowed' | 'denied' | 'ownOnly' | 'publishedOnly'
type Role = 'anonymous' | 'editor' | 'admin'
type Operation = 'create' | 'read' | 'update' | 'delete'
type Transport = 'REST' | 'GraphQL'

const auditSlug = 'audit-logs' satisfies CollectionSlug
type TargetSlug = CollectionSlug
type Expectations = Record<Role, Record<Operation, Outcome>>

const all = (outcome: Outcome): Record<Operation, Outcome> => ({
  create: outcome,
  read: outcome,
  update: outcome,
  delete: outcome,
})
const catalogRules = {
  anonymous: { create: 'denied', read: 'publishedOnly', update: 'denied', delete: 'denied' },
  editor: all('allowed'),
  admin: all('allowed'),
} as const satisfies Record<Role, Record<Operation, Outcome>>

const editorialFileAccess: Expectations = {
  anonymous: all('denied'),
  editor: { create: 'allowed', read: 'allowed', update: 'denied', delete: 'allowed' },
  admin: { create: 'allowed', read: 'allowed', update: 'denied', delete: 'allowed' },
}

/**
 * What differs from the catalog's rules. A collection the config has and this table does not name
 * is expected to follow them (anyone reads what is published, editors and admins write): a new
 * collection needs an entry here only when its rules are meant to differ.
 */
const expectedAccess: Partial<Record<TargetSlug, Expectations>> = {
  [collectionSlugs.users]: {
    anonymous: all('denied'),
    editor: { create: 'denied', read: 'ownOnly', update: 'ownOnly', delete: 'denied' },
    admin: all('allowed'),
  },
  [collectionSlugs.media]: {
    anonymous: { create: 'denied', read: 'allowed', update: 'denied', delete: 'denied' },
    editor: all('allowed'),
    admin: all('allowed'),
  },
  // Import and export files, for the catalog's editors only; once made, only their jobs change them.
  [importExportSlugs.exports]: editorialFileAccess,
  [importExportSlugs.imports]: editorialFileAccess,
  // Written only by the audit hooks; nobody, admins included, may forge, change or remove a row.
  [auditSlug]: {
    anonymous: all('denied'),
    editor: all('denied'),
    admin: { create: 'denied', read: 'allowed', update: 'denied', delete: 'denied' },
  },
}

/** Globals have no create or delete. */
const expectedSiteSettingsAccess: Record<Role, Record<'read' | 'update', Outcome>> = {
  anonymous: { read: 'allowed', update: 'denied' },
  editor: { read: 'allowed', update: 'allowed' },
  admin: { read: 'allowed', update: 'allowed' },
}

let payload: Payload
let category: Category
let jpeg: Buffer
const actors = {} as Record<Role, { user?: User; token?: string }>

type Id = number | string
type FixtureVariant = 'published' | 'draft'

type Target = {
  slug: TargetSlug
  /** GraphQL names Payload derives from the slug. */
  graphQL: { singular: string; plural: string }
  hasDrafts: boolean
  /** The field that tells documents made by one test apart from all others. */
  markerField: string
  /** The text field the update tests change. */
  changedField: string
  /** Valid data for a new document; the marker field gets `marker`. */
  newData: (marker: string) => Record<string, unknown>
  /** A document to read, change or delete, created with access overridden. */
  createFixture: (variant: FixtureVariant) => Promise<Id>
  /** Uploads need multipart, which only REST accepts. */
  isCreatedByUpload?: boolean
  /** The file a REST create uploads, when not the JPEG of a media document. */
  upload?: { data: () => Buffer; filename: string; contentType: string; path: string }
}

const targetFor = (slug: TargetSlug): Target => {
  const target = targets.find((candidate) => candidate.slug === slug)
  if (!target) throw new Error(`no target for ${slug}`)
  return target
}

/** Reads and updates leave documents in place, so those tests share one fixture of each kind. */
const sharedFixtures = new Map<string, Promise<Id>>()
const getSharedFixture = (target: Target, variant: FixtureVariant): Promise<Id> => {
  const key = `${target.slug}:${variant}`
  const fixture = sharedFixtures.get(key) ?? target.createFixture(variant)
  sharedFixtures.set(key, fixture)
  return fixture
}

const createFixtureDocument = async (
  slug: TargetSlug,
  data: Record<string, unknown>,
  variant: FixtureVariant = 'published',
): Promise<Id> => {
  const doc = await payload.create({
    collection: slug,
    data: { ...data, _status: variant } as never,
    draft: variant === 'draft',
    overrideAccess: true,
  })
  return doc.id
}

/** Collections whose documents need more than their text fields to exist. */
const specificTargets: Target[] = [
  {
    slug: collectionSlugs.users,
    graphQL: { singular: 'User', plural: 'Users' },
    hasDrafts: false,
    markerField: 'email',
    changedField: 'name',
    newData: (marker) => ({ email: marker, password: testPassword, role: 'editor' }),
    createFixture: async () => (await createUser({ payload, role: 'editor' })).id,
  },
  {
    slug: collectionSlugs.items,
    graphQL: { singular: 'Item', plural: 'Items' },
    hasDrafts: true,
    markerField: 'name',
    changedField: 'name',
    newData: (marker) => ({
      name: marker,
      price: 100,
      category: category.id,
      _status: 'published',
    }),
    createFixture: (variant) =>
      createFixtureDocument(
        collectionSlugs.items,
        { name: uniqueName('Fixture'), price: 100, category: category.id },
        variant,
      ),
  },
  {
    slug: collectionSlugs.media,
    graphQL: { singular: 'Media', plural: 'allMedia' },
    hasDrafts: false,
    markerField: 'alt',
    changedField: 'alt',
    newData: (marker) => ({ alt: marker }),
    createFixture: async () => {
      const doc = await payload.create({
        collection: collectionSlugs.media,
        data: { alt: uniqueName('Fixture') },
        file: { data: jpeg, mimetype: 'image/jpeg', name: 'fixture.jpg', size: jpeg.length },
        overrideAccess: true,
      })
      return doc.id
    },
    isCreatedByUpload: true,
  },
  {
    slug: auditSlug,
    graphQL: { singular: 'AuditLog', plural: 'AuditLogs' },
    hasDrafts: false,
    markerField: 'summary',
    changedField: 'summary',
    newData: (marker) => ({ action: 'create', summary: marker }),
    createFixture: async () => {
      const doc = await payload.create({
        collection: auditSlug,
        data: { action: 'create', summary: uniqueName('Fixture') } as never,
        overrideAccess: true,
      })
      return doc.id
    },
  },
]

/**
 * An import that no job will run here (no runner in the test processes): a row nothing refers to.
 * Its `matchField` tells documents apart; the plugin offers no other free text field.
 */
const importFixtureCsv = () => Buffer.from('name,price\nAccess matrix,1\n')

specificTargets.push(
  {
    slug: importExportSlugs.exports,
    graphQL: { singular: 'Export', plural: 'Exports' },
    hasDrafts: false,
    markerField: 'name',
    changedField: 'name',
    newData: (marker) => ({ name: marker, collectionSlug: collectionSlugs.items, format: 'csv' }),
    createFixture: async () => {
      const doc = await payload.create({
        collection: importExportSlugs.exports,
        data: { name: uniqueName('Fixture'), collectionSlug: collectionSlugs.items, format: 'csv' },
        overrideAccess: true,
      })
      return doc.id
    },
  },
  {
    slug: importExportSlugs.imports,
    graphQL: { singular: 'Import', plural: 'Imports' },
    hasDrafts: false,
    markerField: 'matchField',
    changedField: 'matchField',
    newData: (marker) => ({
      collectionSlug: collectionSlugs.items,
      importMode: 'create',
      matchField: marker,
    }),
    createFixture: async () => {
      const data = importFixtureCsv()
      const doc = await payload.create({
        collection: importExportSlugs.imports,
        data: { collectionSlug: collectionSlugs.items, importMode: 'create', matchField: 'id' },
        file: { data, mimetype: 'text/csv', name: 'fixture.csv', size: data.length },
        overrideAccess: true,
      })
      return doc.id
    },
    isCreatedByUpload: true,
    upload: {
      data: importFixtureCsv,
      filename: 'new.csv',
      contentType: 'text/csv',
      path: `/api/${importExportSlugs.imports}`,
    },
  },
)

/** The names Payload's GraphQL schema gives a collection (its `initCollections` rule). */
const graphQLNamesOf = (collection: SanitizedCollectionConfig): Target['graphQL'] => {
  const { singularName, pluralName } = collection.graphQL || {}
  const fromSlug = formatNames(collection.slug)
  const singular = singularName ? toWords(singularName, true) : fromSlug.singular
  const plural = pluralName ? toWords(pluralName, true) : fromSlug.plural
  return { singular, plural: singular === plural ? `all${singular}` : plural }
}

const textTypes = new Set(['text', 'textarea'])

/** A value for a required field that needs no other document; undefined when there is none. */
const simpleValueFor = (field: SanitizedCollectionConfig['flattenedFields'][number]): unknown => {
  if (textTypes.has(field.type)) return uniqueName('Fixture')
  if (field.type === 'number') return 'min' in field && field.min !== undefined ? field.min : 1
  if (field.type === 'checkbox') return true
  if (field.type === 'date') return new Date().toISOString()
  if (field.type === 'select' || field.type === 'radio') {
    const [first] = field.options
    return typeof first === 'string' ? first : first?.value
  }
  return undefined
}

/**
 * A target made from the config alone, for a collection this file does not know: documents are
 * told apart and changed by their title (or first) text field, and made from their required
 * fields. A collection that needs more (an upload, a required relationship) names what to add.
 */
const genericTargetFor = (collection: SanitizedCollectionConfig): Target => {
  const fields = collection.flattenedFields
  const titleField =
    fields.find(
      (field) => field.name === collection.admin?.useAsTitle && textTypes.has(field.type),
    ) ?? fields.find((field) => textTypes.has(field.type))
  const missing = (what: string) =>
    new Error(
      `The access matrix cannot make a document of "${collection.slug}" from its config (${what}): add it to specificTargets in tests/int/accessMatrix.int.spec.ts.`,
    )
  if (!titleField) throw missing('no text field to tell documents apart')
  if (collection.upload) throw missing('it is an upload collection')
  const requiredData = () =>
    Object.fromEntries(
      fields
        .filter((field) => 'required' in field && field.required && field.name !== titleField.name)
        .map((field) => {
          const value = simpleValueFor(field)
          if (value === undefined) throw missing(`required ${field.type} field "${field.name}"`)
          return [field.name, value]
        }),
    )
  const hasDrafts = Boolean(
    collection.versions && typeof collection.versions === 'object' && collection.versions.drafts,
  )
  return {
    slug: collection.slug,
    graphQL: graphQLNamesOf(collection),
    hasDrafts,
    markerField: titleField.name,
    changedField: titleField.name,
    newData: (marker) => ({
      ...requiredData(),
      [titleField.name]: marker,
      ...(hasDrafts ? { _status: 'published' } : {}),
    }),
    createFixture: (variant) =>
      createFixtureDocument(
        collection.slug,
        { ...requiredData(), [titleField.name]: uniqueName('Fixture') },
        variant,
      ),
  }
}

/** Collections Payload adds for itself (jobs, preferences, locks) are not the app's to rule. */
const isPayloadOwn = (slug: string) => slug.startsWith('payload-')

/** Every collection of the config, so a new one is in the matrix the moment it exists. */
const targets: Target[] = (await config).collections
  .filter((collection) => !isPayloadOwn(collection.slug))
  .map(
    (collection) =>
      specificTargets.find((target) => target.slug === collection.slug) ??
      genericTargetFor(collection),
  )

type GraphQLBody = { data?: Record<string, unknown> | null; errors?: { message: string }[] }

const runGraphQL = async (
  role: Role,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLBody> => {
  const response = await graphql(query, { token: actors[role].token, variables })
  return (await response.json()) as GraphQLBody
}

const expectRestDenied = (response: Response) => expect([401, 403]).toContain(response.status)

const expectGraphQLDenied = (body: GraphQLBody) =>
  expect(body.errors?.map((error) => error.message).join(' ')).toMatch(/not allowed/i)

const findStored = async (slug: TargetSlug, id: Id) =>
  (
    await payload.find({
      collection: slug,
      where: { id: { equals: id } },
      draft: true,
      overrideAccess: true,
      depth: 0,
    })
  ).docs[0] as unknown as Record<string, unknown> | undefined

const countWithMarker = async (target: Target, marker: string) =>
  (
    await payload.count({
      collection: target.slug,
      where: { [target.markerField]: { equals: marker } },
      overrideAccess: true,
    })
  ).totalDocs

// --- one function per operation and transport; each reports what it saw, the table decides ---

/** Whether the document is visible; throws (fails the test) on anything but visible/hidden/denied. */
const tryRead = async (
  target: Target,
  role: Role,
  transport: Transport,
  id: Id,
): Promise<'visible' | 'hidden' | 'denied'> => {
  if (transport === 'REST') {
    const response = await rest(
      'GET',
      `/api/${target.slug}/${id}${target.hasDrafts ? '?draft=true' : ''}`,
      { token: actors[role].token },
    )
    if (response.status === 200) return 'visible'
    if (response.status === 404) return 'hidden'
    expectRestDenied(response)
    return 'denied'
  }
  const draftArgument = target.hasDrafts ? ', draft: true' : ''
  const body = await runGraphQL(
    role,
    `{ ${target.graphQL.plural}(where: { id: { equals: ${JSON.stringify(id)} } }${draftArgument}) { docs { id } } }`,
  )
  if (body.errors) {
    expectGraphQLDenied(body)
    return 'denied'
  }
  const list = body.data?.[target.graphQL.plural] as { docs: { id: Id }[] }
  return list.docs.some((doc) => String(doc.id) === String(id)) ? 'visible' : 'hidden'
}

type WriteAttempt = {
  role: Role
  transport: Transport
  sendRest: (token: string | undefined) => Promise<Response>
  restSuccessStatus: 200 | 201
  graphQL: { query: string; variables: Record<string, unknown> }
}

/** Whether a write went through; anything else must be a clean denial, not some other error. */
const attemptWrite = async ({
  role,
  transport,
  sendRest,
  restSuccessStatus,
  graphQL: { query, variables },
}: WriteAttempt): Promise<boolean> => {
  if (transport === 'REST') {
    const response = await sendRest(actors[role].token)
    if (response.status === restSuccessStatus) return true
    expectRestDenied(response)
    return false
  }
  const body = await runGraphQL(role, query, variables)
  if (!body.errors) return true
  expectGraphQLDenied(body)
  return false
}

/** A CSV import: the marker goes in its match field, the one free text field it has. */
const uploadEditorialFile = (token: string | undefined, target: Target, marker: string) => {
  const upload = target.upload as NonNullable<Target['upload']>
  const form = new FormData()
  form.append(
    'file',
    new Blob([new Uint8Array(upload.data())], { type: upload.contentType }),
    upload.filename,
  )
  form.append('_payload', JSON.stringify(target.newData(marker)))
  return rest('POST', upload.path, { token, formData: form })
}

const tryCreate = (target: Target, role: Role, transport: Transport, marker: string) =>
  attemptWrite({
    role,
    transport,
    sendRest: (token) =>
      target.isCreatedByUpload
        ? target.upload
          ? uploadEditorialFile(token, target, marker)
          : uploadMedia({ token, data: jpeg, filename: 'new.jpg', alt: marker })
        : rest('POST', `/api/${target.slug}`, { token, body: target.newData(marker) }),
    restSuccessStatus: 201,
    graphQL: {
      query: `mutation ($data: mutation${target.graphQL.singular}Input!) { create${target.graphQL.singular}(data: $data) { id } }`,
      variables: { data: target.newData(marker) },
    },
  })

const tryUpdate = (
  target: Target,
  role: Role,
  transport: Transport,
  id: Id,
  change: Record<string, unknown>,
) =>
  attemptWrite({
    role,
    transport,
    sendRest: (token) => rest('PATCH', `/api/${target.slug}/${id}`, { token, body: change }),
    restSuccessStatus: 200,
    graphQL: {
      query: `mutation ($id: Int!, $data: mutation${target.graphQL.singular}UpdateInput!) { update${target.graphQL.singular}(id: $id, data: $data) { id } }`,
      variables: { id, data: change },
    },
  })

const tryDelete = (target: Target, role: Role, transport: Transport, id: Id) =>
  attemptWrite({
    role,
    transport,
    sendRest: (token) => rest('DELETE', `/api/${target.slug}/${id}`, { token }),
    restSuccessStatus: 200,
    graphQL: {
      query: `mutation ($id: Int!) { delete${target.graphQL.singular}(id: $id) { id } }`,
      variables: { id },
    },
  })

beforeAll(async () => {
  payload = await initPayload()
  jpeg = await makeJpeg(400, 300)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Access category'), _status: 'published' },
  })
  actors.anonymous = {}
  // Admin first: on an empty database the first account becomes an admin whatever it asks for.
  for (const role of ['admin', 'editor'] as const) {
    const user = await createUser({ payload, role })
    actors[role] = { user, token: await loginToken(user.email, testPassword) }
  }
})

afterAll(async () => {
  await closePayload(payload)
})

const roles: Role[] = ['anonymous', 'editor', 'admin']
const transports: Transport[] = ['REST', 'GraphQL']
const cases = targets.flatMap((target) =>
  roles.flatMap((role) =>
    transports.map((transport) => ({
      target,
      role,
      transport,
      expected: (expectedAccess[target.slug] ?? catalogRules)[role],
    })),
  ),
)

describe('the role matrix', () => {
  it.each(
    cases.filter(({ target, transport }) => transport === 'REST' || !target.isCreatedByUpload),
  )(
    'create $target.slug as $role over $transport should be $expected.create',
    async ({ target, role, transport, expected }) => {
      const marker =
        target.markerField === 'email'
          ? `${uniqueName('new').replace(/\W+/g, '-')}@example.test`
          : uniqueName('New')
      const isCreated = await tryCreate(target, role, transport, marker)
      expect(isCreated).toBe(expected.create === 'allowed')
      expect(await countWithMarker(target, marker)).toBe(isCreated ? 1 : 0)
    },
  )

  it.each(cases)(
    'read $target.slug as $role over $transport should be $expected.read',
    async ({ target, role, transport, expected }) => {
      if (expected.read === 'ownOnly') {
        const own = actors[role].user?.id as Id
        expect(await tryRead(target, role, transport, own)).toBe('visible')
        const other = await getSharedFixture(target, 'published')
        expect(await tryRead(target, role, transport, other)).toBe('hidden')
        return
      }
      const published = await getSharedFixture(target, 'published')
      const visibility = {
        allowed: 'visible',
        publishedOnly: 'visible',
        denied: 'denied',
      } as const
      expect(await tryRead(target, role, transport, published)).toBe(visibility[expected.read])
      if (!target.hasDrafts) return
      // Signed-in users see drafts; anonymous readers must not, even when they ask for them.
      const draft = await getSharedFixture(target, 'draft')
      const draftVisibility = { ...visibility, publishedOnly: 'hidden' } as const
      expect(await tryRead(target, role, transport, draft)).toBe(draftVisibility[expected.read])
    },
  )

  it.each(cases)(
    'update $target.slug as $role over $transport should be $expected.update',
    async ({ target, role, transport, expected }) => {
      const field = target.changedField
      const attempt = async (id: Id) => {
        const before = await findStored(target.slug, id)
        const value = uniqueName('Changed')
        const isUpdated = await tryUpdate(target, role, transport, id, { [field]: value })
        const after = await findStored(target.slug, id)
        expect(after?.[field]).toBe(isUpdated ? value : before?.[field])
        return isUpdated
      }
      if (expected.update === 'ownOnly') {
        expect(await attempt(actors[role].user?.id as Id)).toBe(true)
        expect(await attempt(await getSharedFixture(target, 'published'))).toBe(false)
        return
      }
      const fixture = await getSharedFixture(target, 'published')
      expect(await attempt(fixture)).toBe(expected.update === 'allowed')
    },
  )

  it.each(cases)(
    'delete $target.slug as $role over $transport should be $expected.delete',
    async ({ target, role, transport, expected }) => {
      const fixture = await target.createFixture('published')
      const isDeleted = await tryDelete(target, role, transport, fixture)
      expect(isDeleted).toBe(expected.delete === 'allowed')
      expect(await findStored(target.slug, fixture)).toEqual(
        isDeleted ? undefined : expect.anything(),
      )
    },
  )

  const globalCases = roles.flatMap((role) =>
    transports.map((transport) => ({
      role,
      transport,
      expected: expectedSiteSettingsAccess[role],
    })),
  )

  it.each(globalCases)(
    'read and update site-settings as $role over $transport should be $expected.read and $expected.update',
    async ({ role, transport, expected }) => {
      const readSiteName = async () => {
        if (transport === 'REST') {
          const response = await rest('GET', `/api/globals/${globalSlugs.siteSettings}`, {
            token: actors[role].token,
          })
          expect(response.status).toBe(200)
          return ((await response.json()) as { siteName: string }).siteName
        }
        const body = await runGraphQL(role, '{ SiteSetting { siteName } }')
        expect(body.errors).toBeUndefined()
        return (body.data?.SiteSetting as { siteName: string }).siteName
      }
      expect(expected.read).toBe('allowed')
      const before = await readSiteName()

      const siteName = uniqueName('Site')
      // GraphQL's input type for the global marks required fields as non-null even on update.
      const currency = 'USD'
      let isUpdated: boolean
      if (transport === 'REST') {
        const response = await rest('POST', `/api/globals/${globalSlugs.siteSettings}`, {
          token: actors[role].token,
          body: { siteName, currency },
        })
        isUpdated = response.status === 200
        if (!isUpdated) expectRestDenied(response)
      } else {
        const body = await runGraphQL(
          role,
          'mutation ($data: mutationSiteSettingInput!) { updateSiteSetting(data: $data) { siteName } }',
          { data: { siteName, currency } },
        )
        isUpdated = !body.errors
        if (!isUpdated) expectGraphQLDenied(body)
      }
      expect(isUpdated).toBe(expected.update === 'allowed')
      expect(await readSiteName()).toBe(isUpdated ? siteName : before)
    },
  )
})

describe('drafts', () => {
  it('should show anonymous readers the published version of a document that has a newer draft', async () => {
    const publishedName = uniqueName('Published')
    const draftName = uniqueName('Unpublished change')
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: { name: publishedName, price: 100, category: category.id, _status: 'published' },
    })
    await payload.update({
      collection: collectionSlugs.items,
      id: item.id,
      data: { name: draftName },
      draft: true,
    })
    const readName = async (role: Role, transport: Transport) => {
      if (transport === 'REST') {
        const response = await rest('GET', `/api/items/${item.id}?draft=true`, {
          token: actors[role].token,
        })
        return ((await response.json()) as { name: string }).name
      }
      const body = await runGraphQL(role, `{ Item(id: ${item.id}, draft: true) { name } }`)
      return (body.data?.Item as { name: string }).name
    }
    for (const transport of transports) {
      expect(await readName('anonymous', transport)).toBe(publishedName)
      expect(await readName('editor', transport)).toBe(draftName)
    }
  })

  it('should list only published documents to anonymous readers asking for drafts', async () => {
    const published = await getSharedFixture(targetFor(collectionSlugs.categories), 'published')
    const draft = await getSharedFixture(targetFor(collectionSlugs.categories), 'draft')
    const response = await rest(
      'GET',
      `/api/categories?draft=true&where[id][in]=${published},${draft}&depth=0`,
    )
    expect(response.status).toBe(200)
    const { docs } = (await response.json()) as { docs: { id: Id }[] }
    expect(docs.map((doc) => doc.id)).toEqual([published])
  })

  it('should keep version history from anonymous readers', async () => {
    expectRestDenied(await rest('GET', '/api/items/versions'))
    expectGraphQLDenied(await runGraphQL('anonymous', '{ versionsItems { docs { id } } }'))
    const response = await rest('GET', '/api/items/versions?limit=1', {
      token: actors.editor.token,
    })
    expect(response.status).toBe(200)
  })
})

describe('the Local API with overrideAccess: false', () => {
  const as = (role: Role) => ({ user: actors[role].user, overrideAccess: false }) as const

  it('should show an editor their own account only and refuse changes to others', async () => {
    const editor = actors.editor.user as User
    const admin = actors.admin.user as User
    const { docs } = await payload.find({ collection: collectionSlugs.users, ...as('editor') })
    expect(docs.map((user) => user.id)).toEqual([editor.id])
    await expect(
      payload.update({
        collection: collectionSlugs.users,
        id: admin.id,
        data: { name: 'Taken over' },
        ...as('editor'),
      }),
    ).rejects.toBeInstanceOf(Forbidden)
    await expect(
      payload.delete({ collection: collectionSlugs.users, id: admin.id, ...as('editor') }),
    ).rejects.toBeInstanceOf(Forbidden)
    expect((await findStored(collectionSlugs.users, admin.id))?.name).toBe(admin.name)
  })

  it('should keep the audit log from editors and unwritable for admins', async () => {
    await expect(payload.find({ collection: auditSlug, ...as('editor') })).rejects.toBeInstanceOf(
      Forbidden,
    )
    expect(
      (await payload.find({ collection: auditSlug, limit: 1, ...as('admin') })).docs,
    ).not.toEqual([])
    const summary = uniqueName('Forged')
    await expect(
      payload.create({
        collection: auditSlug,
        data: { action: 'create', summary } as never,
        ...as('admin'),
      }),
    ).rejects.toBeInstanceOf(Forbidden)
    expect(await countWithMarker(targetFor(auditSlug), summary)).toBe(0)
  })

  it('should let editors change the catalog and anonymous callers read published items only', async () => {
    const name = uniqueName('Local')
    const created = await payload.create({
      collection: collectionSlugs.categories,
      data: { name, _status: 'published' },
      ...as('editor'),
    })
    await payload.delete({
      collection: collectionSlugs.categories,
      id: created.id,
      ...as('editor'),
    })
    await expect(
      payload.create({
        collection: collectionSlugs.categories,
        data: { name, _status: 'published' },
        overrideAccess: false,
      }),
    ).rejects.toBeInstanceOf(Forbidden)

    const itemTarget = targetFor(collectionSlugs.items)
    const published = await getSharedFixture(itemTarget, 'published')
    const draft = await getSharedFixture(itemTarget, 'draft')
    const { docs } = await payload.find({
      collection: collectionSlugs.items,
      where: { id: { in: [published, draft] } },
      draft: true,
      overrideAccess: false,
    })
    expect(docs.map((doc) => doc.id)).toEqual([published])
  })
})

describe('roles', () => {
  it.each(['REST', 'GraphQL', 'Local API'] as const)(
    'should not let an editor make themselves an admin over %s',
    async (transport) => {
      const editor = await createUser({ payload, role: 'editor' })
      const name = uniqueName('Still an editor')
      const data = { name, role: 'admin' }
      if (transport === 'REST') {
        const token = await loginToken(editor.email, testPassword)
        // Payload drops fields the user may not write and saves the rest, as the admin expects.
        const response = await rest('PATCH', `/api/users/${editor.id}`, { token, body: data })
        expect(response.status).toBe(200)
      } else if (transport === 'GraphQL') {
        const token = await loginToken(editor.email, testPassword)
        const response = await graphql(
          'mutation ($id: Int!, $data: mutationUserUpdateInput!) { updateUser(id: $id, data: $data) { role } }',
          { token, variables: { id: editor.id, data } },
        )
        expect(((await response.json()) as GraphQLBody).errors).toBeUndefined()
      } else {
        await payload.update({
          collection: collectionSlugs.users,
          id: editor.id,
          data: { name, role: 'admin' },
          user: editor,
          overrideAccess: false,
        })
      }
      const stored = await findStored(collectionSlugs.users, editor.id)
      expect(stored).toMatchObject({ name, role: 'editor' })
    },
  )

  it('should let only admins unlock an account', async () => {
    const locked = await createUser({ payload, role: 'editor' })
    const unlock = (role: Role) =>
      rest('POST', '/api/users/unlock', {
        token: actors[role].token,
        body: { email: locked.email },
      })
    expectRestDenied(await unlock('anonymous'))
    expectRestDenied(await unlock('editor'))
    expect((await unlock('admin')).status).toBe(200)
  })
})

describe('the last admin', () => {
  type Admin = { user: User; token: string }

  const createAdmin = async (): Promise<Admin> => {
    const user = await createUser({ payload, role: 'admin' })
    return { user, token: await loginToken(user.email, testPassword) }
  }

  /** Leaves `keep` as the only admins: server code without a user may demote anyone. */
  const demoteAdminsExcept = async (...keep: Admin[]) => {
    await payload.update({
      collection: collectionSlugs.users,
      where: {
        role: { equals: 'admin' },
        id: { not_in: keep.map((admin) => admin.user.id) },
      },
      data: { role: 'editor' },
    })
  }

  const adminIds = async () =>
    (
      await payload.find({
        collection: collectionSlugs.users,
        where: { role: { equals: 'admin' } },
        pagination: false,
        depth: 0,
      })
    ).docs.map((user) => user.id)

  const graphQLErrors = async (response: Response) =>
    ((await response.json()) as GraphQLBody).errors?.map((error) => error.message)

  it.each(['REST', 'GraphQL', 'Local API'] as const)(
    'should refuse to demote or delete the last admin over %s',
    async (transport) => {
      const admin = await createAdmin()
      await demoteAdminsExcept(admin)
      const { id } = admin.user
      if (transport === 'REST') {
        for (const response of [
          await rest('PATCH', `/api/users/${id}`, {
            token: admin.token,
            body: { role: 'editor' },
          }),
          await rest('DELETE', `/api/users/${id}`, { token: admin.token }),
        ]) {
          expect(response.status).toBe(409)
          expect(await response.text()).toContain(lastAdminMessage)
        }
      } else if (transport === 'GraphQL') {
        const demotion = await graphql(
          'mutation ($id: Int!) { updateUser(id: $id, data: { role: editor }) { role } }',
          { token: admin.token, variables: { id } },
        )
        expect(await graphQLErrors(demotion)).toEqual([lastAdminMessage])
        const deletion = await graphql('mutation ($id: Int!) { deleteUser(id: $id) { id } }', {
          token: admin.token,
          variables: { id },
        })
        expect(await graphQLErrors(deletion)).toEqual([lastAdminMessage])
      } else {
        const asAdmin = { user: admin.user, overrideAccess: false } as const
        const rejection = { status: 409, message: lastAdminMessage }
        await expect(
          payload.update({
            collection: collectionSlugs.users,
            id,
            data: { role: 'editor' },
            ...asAdmin,
          }),
        ).rejects.toMatchObject(rejection)
        await expect(
          payload.delete({ collection: collectionSlugs.users, id, ...asAdmin }),
        ).rejects.toMatchObject(rejection)
      }
      expect(await adminIds()).toEqual([id])
    },
  )

  it('should keep one admin when a bulk request names them all', async () => {
    const first = await createAdmin()
    const second = await createAdmin()
    await demoteAdminsExcept(first, second)
    const demotion = await rest('PATCH', '/api/users?where[role][equals]=admin', {
      token: first.token,
      body: { role: 'editor' },
    })
    expect(demotion.status).toBe(400)
    expect(await demotion.text()).toContain(lastAdminMessage)
    const [remaining] = await adminIds()
    expect(await adminIds()).toHaveLength(1)

    // Whoever is still an admin tries to delete every admin, themselves included.
    const remainingAdmin = remaining === first.user.id ? first : second
    const deletion = await rest('DELETE', '/api/users?where[role][equals]=admin', {
      token: remainingAdmin.token,
    })
    expect(deletion.status).toBe(400)
    expect(await deletion.text()).toContain(lastAdminMessage)
    expect(await adminIds()).toEqual([remaining])
  })

  it('should count the admins a request already cleared when checking its next document', async () => {
    // A bulk request runs this check for its documents in parallel, in one transaction, so each
    // may run before any of them is written. Call the hook that way, deterministically.
    const first = await createAdmin()
    const second = await createAdmin()
    await demoteAdminsExcept(first, second)
    const req = await createLocalReq(
      { user: { ...first.user, collection: collectionSlugs.users } },
      payload,
    )
    await initTransaction(req)
    try {
      const collection = payload.collections[collectionSlugs.users].config
      const results = await Promise.allSettled(
        [first, second].map((admin) =>
          keepLastAdminOnDelete({ collection, context: {}, id: admin.user.id, req }),
        ),
      )
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected'])
    } finally {
      await killTransaction(req)
    }
  })

  it('should let an admin step down or delete another admin while one remains', async () => {
    const [first, second, third] = [await createAdmin(), await createAdmin(), await createAdmin()]
    await demoteAdminsExcept(first, second, third)
    const deletion = await rest('DELETE', `/api/users/${second.user.id}`, { token: first.token })
    expect(deletion.status).toBe(200)
    const demotion = await rest('PATCH', `/api/users/${first.user.id}`, {
      token: first.token,
      body: { role: 'editor' },
    })
    expect(demotion.status).toBe(200)
    expect(await adminIds()).toEqual([third.user.id])
  })

  it('should let only one of two admins demoting each other at the same time succeed', async () => {
    const first = await createAdmin()
    const second = await createAdmin()
    await demoteAdminsExcept(first, second)
    const demote = (actor: Admin, target: Admin) =>
      rest('PATCH', `/api/users/${target.user.id}`, {
        token: actor.token,
        body: { role: 'editor' },
      })
    const responses = await Promise.all([demote(first, second), demote(second, first)])
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409])
    expect(await adminIds()).toHaveLength(1)
  })
})
