import { describe, expect, it } from 'vitest'

import { levelForStatus } from './requestLog'

describe('levelForStatus', () => {
  it('should log failed and refused requests as warnings: the error line is the cause', () => {
    expect(levelForStatus(500)).toBe('warn')
    expect(levelForStatus(503)).toBe('warn')
    expect(levelForStatus(400)).toBe('warn')
    expect(levelForStatus(404)).toBe('warn')
    expect(levelForStatus(200)).toBe('info')
    expect(levelForStatus(304)).toBe('info')
  })

  it('should log rate-limited requests at info, where a flood of them does not flood the logs', () => {
    expect(levelForStatus(429)).toBe('info')
  })
})
