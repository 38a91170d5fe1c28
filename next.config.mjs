import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server in src/server owns the HTTP listener; Next only renders.
  poweredByHeader: false,
  // `next build` type-checks what it ships (tsconfig.build.json: the app, collections, plugins,
  // config), never tests, scripts or migrations: a test in progress cannot break a production
  // build. `npm run typecheck` checks everything.
  typescript: { ignoreBuildErrors: false, tsconfigPath: 'tsconfig.build.json' },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
