import path from 'node:path'

import { defineConfig } from 'vitest/config'

// Mirrors the `paths` in tsconfig.json.
const alias = {
  '@payload-config': path.resolve(import.meta.dirname, 'payload.config.ts'),
  '@/': `${path.resolve(import.meta.dirname, 'src')}/`,
}

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
          include: ['tests/int/**/*.int.spec.ts'],
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
