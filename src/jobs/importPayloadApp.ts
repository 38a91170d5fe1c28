/**
 * For scripts that run the app in Node itself (seed, drill, bench): Payload's `getPayload` and the
 * app's config, imported now — after the caller has prepared DATABASE_URL and the rest of the
 * environment, which the config reads when it loads — with Lexical resolved so that the import
 * cannot hang (lexicalWithoutTopLevelAwait.mjs). Call it instead of importing the config.
 */
export const importPayloadApp = async () => {
  await import('../server/lexicalWithoutTopLevelAwait.mjs')
  const [{ getPayload }, { default: config }] = await Promise.all([
    import('payload'),
    import('../../payload.config'),
  ])
  return { getPayload, config }
}
