/**
 * Module resolution hooks registered by lexicalWithoutTopLevelAwait.mjs: `lexical` and
 * `@lexical/*` resolve to their development or production build instead of their Node entry,
 * which picks one of the two with a top-level `await import()`.
 */
let condition = 'development'

export const initialize = (data) => {
  condition = data.condition
}

export const resolve = (specifier, context, nextResolve) =>
  specifier === 'lexical' || specifier.startsWith('@lexical/')
    ? nextResolve(specifier, { ...context, conditions: [condition, ...context.conditions] })
    : nextResolve(specifier, context)
