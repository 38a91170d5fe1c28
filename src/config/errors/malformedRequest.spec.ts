import { APIError } from 'payload'
import { describe, expect, it } from 'vitest'

import { isMalformedBodyError, isMalformedPayloadFieldError } from './malformedRequest'

describe('isMalformedBodyError', () => {
  it.each(['Malformed part header', 'Unexpected end of form', 'Unsupported content type: text/x'])(
    'should recognise the parser error %j',
    (message) => {
      expect(isMalformedBodyError(new Error(message))).toBe(true)
    },
  )

  it('should leave other errors alone', () => {
    expect(isMalformedBodyError(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false)
    expect(isMalformedBodyError(new APIError('Malformed part header', 418))).toBe(false)
    expect(isMalformedBodyError('Malformed part header')).toBe(false)
  })
})

describe('isMalformedPayloadFieldError', () => {
  it('should recognise a JSON syntax error in a multipart request only', () => {
    const syntaxError = new SyntaxError('Unexpected end of JSON input')
    expect(isMalformedPayloadFieldError(syntaxError, 'multipart/form-data; boundary=x')).toBe(true)
    expect(isMalformedPayloadFieldError(syntaxError, 'application/json')).toBe(false)
    expect(isMalformedPayloadFieldError(new Error('x'), 'multipart/form-data; boundary=x')).toBe(
      false,
    )
  })
})
