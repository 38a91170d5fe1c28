import { createRequire } from 'node:module'
import path from 'node:path'

import { defineConfig } from 'vitest/config'

const alias = [
  // Mirrors the `paths` in tsconfig.json.
  { find: '@payload-config', replacement: path.resolve(import.meta.dirname, 'payload.config.ts') },
  { find: '@/', replacement: `${path.resolve(import.meta.dirname, 'src')}/` },
  // Node loads graphql's CommonJS build ("main"), for Payload's modules here and for the app in
  // Next.js, which keeps graphql external. Vite would give the app's own modules the ES build
  // ("module"): a second copy, whose `validate` refuses the schema Payload built with the first.
  { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
]

export default defineConfig({
  resolve: { alias },
  test: {
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Projects run one after another: on a 2-core machine the browser project's build would
          // otherwise compete with the integration tests for CPU.
          sequence: { groupOrder: 0 },
          include: [
            'src/**/*.spec.ts',
            'collections/**/*.spec.ts',
            'plugins/**/*.spec.ts',
            'scripts/**/*.spec.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          sequence: { groupOrder: 1 },
          include: ['tests/int/**/*.int.spec.ts', 'tests/plugins/**/*.int.spec.ts'],
          globalSetup: ['tests/setup/integrationGlobalSetup.ts'],
          setupFiles: ['tests/setup/testEnvironment.ts'],
          // One database per run, shared by the files: run them one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.e2e.spec.ts'],
          globalSetup: ['tests/setup/e2eGlobalSetup.ts'],
          setupFiles: ['tests/setup/testEnvironment.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
