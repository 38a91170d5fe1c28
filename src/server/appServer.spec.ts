import { describe, expect, it } from 'vitest'

import { levelForStatus } from './appServer'

describe('levelForStatus', () => {
  it('should log server errors as errors and client errors as warnings', () => {
    expect(levelForStatus(500)).toBe('error')
    expect(levelForStatus(503)).toBe('error')
    expect(levelForStatus(400)).toBe('warn')
    expect(levelForStatus(404)).toBe('warn')
    expect(levelForStatus(200)).toBe('info')
    expect(levelForStatus(304)).toBe('info')
  })

  it('should log rate-limited requests at info, where a flood of them does not flood the logs', () => {
    expect(levelForStatus(429)).toBe('info')
  })
})
