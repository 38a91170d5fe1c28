import type { CollectionSlug, PayloadRequest } from 'payload'

import type { FieldProblem, RelationReference } from './fieldValues'

/**
 * The references whose document does not exist. One query per target collection, in the request's
 * transaction, with access overridden: existence is what is checked here, and whether the user may
 * read the target is not this check's business.
 */
export const findMissingRelations = async (
  references: RelationReference[],
  req: PayloadRequest,
): Promise<FieldProblem[]> => {
  const byCollection = new Map<string, RelationReference[]>()
  for (const reference of references) {
    byCollection.set(reference.collection, [
      ...(byCollection.get(reference.collection) ?? []),
      reference,
    ])
  }
  const problems: FieldProblem[] = []
  for (const [collection, refs] of byCollection) {
    const ids = [...new Set(refs.map((reference) => reference.id))]
    const { docs } = await req.payload.find({
      collection: collection as CollectionSlug,
      where: { id: { in: ids } },
      depth: 0,
      limit: ids.length,
      pagination: false,
      overrideAccess: true,
      select: {},
      req,
    })
    const found = new Set(docs.map((doc) => Number(doc.id)))
    for (const reference of refs) {
      if (!found.has(reference.id)) {
        problems.push({
          path: reference.path,
          message: `There is no ${collection} document with id ${reference.id}.`,
        })
      }
    }
  }
  return problems
}
