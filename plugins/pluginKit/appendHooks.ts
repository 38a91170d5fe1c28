type HookArrays = Record<string, unknown[] | undefined>

/**
 * A copy of a collection or global with hooks appended after its existing ones (never before:
 * the app's own hooks keep running first). Empty additions leave the hook array as it was.
 */
export const appendHooks = <T extends { hooks?: object }>(
  entity: T,
  additions: Record<string, unknown[]>,
): T => {
  const hooks: HookArrays = { ...(entity.hooks as HookArrays | undefined) }
  for (const [name, added] of Object.entries(additions)) {
    if (added.length > 0) hooks[name] = [...(hooks[name] ?? []), ...added]
  }
  return { ...entity, hooks }
}
