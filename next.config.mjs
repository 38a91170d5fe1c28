import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server in src/server owns the HTTP listener; Next only renders.
  poweredByHeader: false,
  // Tests, scripts and migrations are type-checked by `npm run typecheck`, not by `next build`.
  typescript: { ignoreBuildErrors: false },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
