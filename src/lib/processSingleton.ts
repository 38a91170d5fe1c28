/**
 * One value per process, kept on globalThis under `Symbol.for(name)`. The HTTP server and the
 * Payload code inside the Next.js bundle load our modules in different module graphs of the same
 * process, so a module-level variable would exist twice; what both must share lives here.
 */
export const getProcessSingleton = <T>(name: string, create: () => T): T => {
  const holder = globalThis as Record<symbol, T | undefined>
  const key = Symbol.for(name)
  holder[key] ??= create()
  return holder[key]
}
