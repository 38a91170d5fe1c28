import type { Payload } from 'payload'
import { afterAll, beforeAll } from 'vitest'

import { loginToken } from './http'
import { closePayload, createUser, initPayload, testPassword } from './payload'

export type EditorSession = { payload: Payload; token: string; email: string }

/**
 * For one test file: creates Payload before its tests (destroyed after them) and an editor logged
 * in over REST. Read `session.payload` / `session.token` inside tests and hooks.
 */
export const setupEditorSession = (): EditorSession => {
  const session = {} as EditorSession
  beforeAll(async () => {
    session.payload = await initPayload()
    const editor = await createUser({ payload: session.payload, role: 'editor' })
    session.email = editor.email
    session.token = await loginToken(editor.email, testPassword)
  })
  afterAll(async () => {
    await closePayload(session.payload)
  })
  return session
}
