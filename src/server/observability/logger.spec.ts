import { APIError, Forbidden } from 'payload'
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'

import { databaseOutageEvents, getDatabaseOutageMonitor } from '../../database/outageMonitor'
import { createAppLogger, validationGapMessage } from './logger'
import { runInRequestLogContext } from './requestContext'

type Line = Record<string, unknown> & { level: string; err?: Record<string, unknown> }

const createCapturingLogger = (level = 'info') => {
  const lines: Line[] = []
  const logger = createAppLogger(
    {
      PAYLOAD_SECRET: 'payload-secret-value-123',
      DATABASE_URL: 'postgres://catalog:db-password-456@db:5432/catalog',
      r2: undefined,
      LOG_LEVEL: level as 'info',
      isProduction: true,
    },
    { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Line) },
  )
  return { logger, lines }
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })

describe('createAppLogger, for refusals and failures', () => {
  it('should write refusals below info: their request line says what happened', () => {
    const { logger, lines } = createCapturingLogger()
    logger.error({ err: new APIError('Only images are accepted.', 415) })
    logger.error({ err: new Forbidden() })
    // GraphQL wraps every error, refusals included.
    logger.error({ err: new GraphQLError('Not allowed', { originalError: new Forbidden() }) })
    expect(lines).toEqual([])
  })

  it('should still show refusals, with their stack, at debug', () => {
    const { logger, lines } = createCapturingLogger('debug')
    logger.error({ err: new APIError('Only images are accepted.', 415) })
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', err: expect.objectContaining({ status: 415 }) }),
    ])
  })

  it('should keep failures as errors, with the type and the cause', () => {
    const { logger, lines } = createCapturingLogger()
    const cause = Object.assign(new Error('column "name" does not exist'), { code: '42703' })
    logger.error({ err: new Error('Failed query: select "name"', { cause }) })
    expect(lines).toHaveLength(1)
    expect(lines[0].level).toBe('error')
    expect(lines[0].err).toMatchObject({
      type: 'Error',
      message: expect.stringContaining('column "name" does not exist'),
      stack: expect.stringContaining('caused by'),
    })
  })

  it('should log a GraphQL error as the error it wraps, with the GraphQL path', () => {
    const { logger, lines } = createCapturingLogger()
    const cause = new Error('column "name" does not exist')
    const original = new Error('Failed query', { cause })
    logger.error({
      err: new GraphQLError('Failed query', { originalError: original, path: ['Categories'] }),
    })
    expect(lines[0]).toMatchObject({
      graphqlPath: 'Categories',
      err: { message: expect.stringContaining('column "name" does not exist') },
    })
  })
})

describe('createAppLogger, for requests and the database', () => {
  it('should write a body the client sent unparseable as a refusal, and the same error elsewhere as an error', () => {
    const { logger, lines } = createCapturingLogger()
    const multipart = { reqId: 'req-8', contentType: 'multipart/form-data; boundary=x' }
    runInRequestLogContext(multipart, () => {
      logger.error({ err: new SyntaxError('Unexpected end of JSON input') })
      logger.error({ err: new Error('Unexpected end of form') })
    })
    expect(lines.filter((line) => line.level === 'error')).toEqual([])
    runInRequestLogContext({ reqId: 'req-9', contentType: 'application/json' }, () => {
      logger.error({ err: new SyntaxError('Unexpected end of JSON input') })
    })
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ reqId: 'req-9' }),
    ])
  })

  it('should write a value the database refused as one warning without query or stack', () => {
    const { logger, lines } = createCapturingLogger()
    const driverError = Object.assign(new Error('invalid input syntax for type integer: "NaN"'), {
      code: '22P02',
    })
    logger.error({ err: new Error('Failed query: select 1 where id = $1', { cause: driverError }) })
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', sqlState: '22P02', msg: validationGapMessage }),
    ])
    expect(JSON.stringify(lines)).not.toMatch(/stack|Failed query/)
  })

  it('should give every line written while serving a request its id, until it is done', () => {
    const { logger, lines } = createCapturingLogger()
    const context = { reqId: 'req-7', isDone: false }
    runInRequestLogContext(context, () => {
      logger.error({ err: new Error('boom') })
      context.isDone = true
      logger.info({ msg: 'later work the request started' })
    })
    logger.info({ msg: 'outside' })
    expect(lines.map((line) => line.reqId)).toEqual(['req-7', undefined, undefined])
  })

  it('should fold the lines of a database outage into the monitor’s one line', () => {
    const { logger, lines } = createCapturingLogger()
    // Before anything watches (a script, a CLI), failures are logged where they happen.
    logger.error({ err: refused(), msg: 'Error: cannot begin transaction' })
    expect(lines).toHaveLength(1)
    getDatabaseOutageMonitor().watch({
      logger,
      probe: () => new Promise(() => undefined),
      isClosed: () => false,
    })
    for (let index = 0; index < 20; index++) {
      logger.error({ err: new Error('Error: cannot begin transaction: connect ECONNREFUSED') })
      logger.warn({ err: refused(), msg: 'Cache invalidation listener lost its connection' })
    }
    expect(lines.slice(1)).toEqual([
      expect.objectContaining({
        level: 'error',
        event: databaseOutageEvents.started,
        err: expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') }),
      }),
    ])
  })
})

describe('createAppLogger, for the CDN purge credentials', () => {
  it('should cut the Cloudflare token and a purge URL password out of every line', () => {
    const lines: Line[] = []
    const token = 'cloudflare-token-0123456789abcdef0123'
    const logger = createAppLogger(
      {
        PAYLOAD_SECRET: 'payload-secret-value-123',
        DATABASE_URL: 'postgres://catalog:db-password-456@db:5432/catalog',
        r2: undefined,
        CLOUDFLARE_API_TOKEN: token,
        CACHE_PURGE_URLS: ['http://purger:varnish-pass-789@varnish:6081'],
        LOG_LEVEL: 'info',
        isProduction: true,
      },
      { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Line) },
    )
    logger.error({ detail: `Invalid token ${token}`, msg: 'CDN purge failed' })
    logger.error({ err: new Error(`refused varnish-pass-789 and ${token}`), msg: 'failed' })
    const written = JSON.stringify(lines)
    expect(written).not.toContain(token)
    expect(written).not.toContain('varnish-pass-789')
    expect(lines[0].detail).toBe('Invalid token [redacted]')
  })
})
