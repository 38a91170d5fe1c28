/** Values the global setups hand to test workers through Vitest's provide/inject. */
export type TestContext = {
  databaseUrl: string
  mediaDir: string
  payloadSecret: string
  /** R2_* variables pointing at the run's S3-API server, when the project uses one. */
  r2Env?: Record<string, string>
  /** Base URL of the running app (browser tests only). */
  appUrl?: string
  adminEmail?: string
  adminPassword?: string
  /** Everything the app server printed (browser tests only). */
  appLogFile?: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    testContext: TestContext
  }
}
