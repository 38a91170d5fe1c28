import type { CollectionSlug, PayloadRequest } from 'payload'

import { getAuthenticatedSessionId } from '../../payloadInternals'

/** A session as Payload keeps it on the user (`useSessions`): every token names one by its `sid`. */
type StoredSession = { id: string; expiresAt: Date | string }

type EndSessionsArgs = {
  req: PayloadRequest
  collection: CollectionSlug
  userId: number | string
}

/** The session the request was authenticated with, when it belongs to the user being changed. */
const currentSessionOf = ({ req, collection, userId }: EndSessionsArgs): string | undefined => {
  const user = req.user
  if (user?.collection !== collection || String(user.id) !== String(userId)) return undefined
  return getAuthenticatedSessionId(user)
}

const isUnexpired = (session: StoredSession, now: number) =>
  new Date(session.expiresAt).getTime() > now

/**
 * Ends every session of the user except the one making this request, if it is theirs: a token
 * issued before a credential changed (password, second factor) stops working, and refresh-token
 * cannot renew it, since Payload accepts a token only while its session is stored on the user.
 * Written in the request's transaction, so it stands or falls with the change itself.
 */
export const endOtherSessions = async (args: EndSessionsArgs): Promise<void> => {
  const { req, collection, userId } = args
  const stored = await req.payload.db.findOne<{ id: number | string; sessions?: StoredSession[] }>({
    collection,
    where: { id: { equals: userId } },
    select: { sessions: true },
    req,
  })
  const sessions = stored?.sessions ?? []
  const currentSession = currentSessionOf(args)
  const now = Date.now()
  const kept = sessions.filter(
    (session) => session.id === currentSession && isUnexpired(session, now),
  )
  if (kept.length === sessions.length) return
  await req.payload.db.updateOne({
    collection,
    id: userId,
    data: { sessions: kept },
    req,
    returning: false,
  })
}
