/**
 * Imported (by importPayloadApp.ts, or with `node --import` from payloadCli.ts) before a process
 * loads the app's config in Node itself: the seed, the drill, the benchmark and the Payload CLI. Next.js bundles the config for the
 * server, and vitest transforms modules, so neither needs it.
 *
 * Lexical's Node entry points (`lexical`, `@lexical/*` → `dist/*.node.mjs`, pulled in by
 * `@payloadcms/richtext-lexical`) each choose their development or production build with a
 * top-level `await import()`. On Node 20 evaluating that graph of asynchronous modules now and
 * then leaves the import of the config pending forever, however it is imported: the event loop
 * empties and the process ends unfinished (exit code 13, "unsettled top-level await"). Node 22
 * does not have the bug. Resolving those packages straight to the build their entry would have
 * chosen (the `development` or `production` export condition, as NODE_ENV says when this module
 * is first evaluated) leaves no top-level await in the graph. Modules resolved earlier are not
 * affected; evaluating this module again (it is cached) registers nothing more.
 */
import { register } from 'node:module'

register('./lexicalResolveHooks.mjs', import.meta.url, {
  data: { condition: process.env.NODE_ENV === 'production' ? 'production' : 'development' },
})
