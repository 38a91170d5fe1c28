import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { APIError, formatErrors, ValidationError } from 'payload'
import { afterEach, describe, expect, it } from 'vitest'

import { LastAdminError } from '../../../collections/Users/hooks/keepLastAdmin'
import {
  fieldValidationError,
  requestBodyError,
} from '../../../plugins/requestBodyGuard/utilities/errors'
import { publicApiError, validationError } from './publicApiError'

const projectRoot = path.resolve(import.meta.dirname, '../../..')

/** Where the app's server code lives. */
const sourceFolders = ['src', 'collections', 'plugins']

const sourceFiles = (folder: string): string[] =>
  readdirSync(path.join(projectRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.spec\.tsx?$/.test(file))
    .map((file) => path.join(folder, file))

const allSources = sourceFolders.flatMap(sourceFiles).map((file) => ({
  file,
  text: readFileSync(path.join(projectRoot, file), 'utf8'),
}))

/**
 * The production build's effect on a class name: Payload's APIError is an anonymous class
 * expression there (`class extends o {…}`), its subclasses and ours get one-letter names. Every
 * test here runs with those names stripped, and puts them back after.
 */
type ErrorClass = abstract new (...args: never[]) => Error

const strippedClasses: { target: ErrorClass; name: string }[] = []
const stripClassName = (target: ErrorClass) => {
  strippedClasses.push({ target, name: target.name })
  Object.defineProperty(target, 'name', { value: '', configurable: true })
}

afterEach(() => {
  for (const { target, name } of strippedClasses.splice(0)) {
    Object.defineProperty(target, 'name', { value: name, configurable: true })
  }
})

describe('publicApiError', () => {
  it('should keep its name and message when the build strips class names', () => {
    stripClassName(APIError)
    // What a plain `new APIError` gives there: Payload's formatter drops the message.
    expect(formatErrors(new APIError('Already on.', 409, null, true)).errors).toEqual([
      { message: 'An unknown error occurred.' },
    ])

    const error = publicApiError({ name: 'TwoFactorError', message: 'Already on.', status: 409 })
    expect(error).toBeInstanceOf(APIError)
    expect(error.name).toBe('TwoFactorError')
    expect([error.status, error.isPublic, error.data]).toEqual([409, true, null])
    expect(formatErrors(error).errors).toEqual([{ message: 'Already on.' }])
  })

  it('should carry data under its name', () => {
    stripClassName(APIError)
    const error = publicApiError({
      name: 'TooManySignInAttemptsError',
      message: 'Too many.',
      status: 429,
      data: { retryAfterSeconds: 60 },
    })
    expect(formatErrors(error).errors).toEqual([
      { name: 'TooManySignInAttemptsError', data: { retryAfterSeconds: 60 }, message: 'Too many.' },
    ])
  })
})

describe('validation errors', () => {
  it('should be named ValidationError whatever the build named the class', () => {
    stripClassName(ValidationError)
    const errors = [{ path: 'price', message: 'Too high.' }]
    for (const error of [
      validationError({ collection: 'items', errors }),
      fieldValidationError({ collection: 'items', errors }),
    ]) {
      expect(error).toBeInstanceOf(ValidationError)
      expect(formatErrors(error).errors[0]).toMatchObject({ name: 'ValidationError' })
    }
  })

  it('should give a malformed body its own name', () => {
    stripClassName(APIError)
    expect(requestBodyError('Send an object.').name).toBe('RequestBodyError')
  })
})

describe('our error classes', () => {
  const classes = allSources.flatMap(({ file, text }) =>
    [...text.matchAll(/class (\w+) extends (?:APIError|ValidationError)\b[^{]*\{/g)].map(
      (match) => ({ file, name: match[1], body: text.slice(match.index) }),
    ),
  )

  it('should be found', () => {
    expect(classes.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['LastAdminError', 'SecondFactorRequiredError']),
    )
  })

  it.each(classes.map((found) => [found.name, found] as const))(
    '%s should set its own name explicitly',
    (name, { body }) => {
      // The class ends at the first closing brace in column 0 that ends its line; a generic
      // argument's `}>` does not.
      const constructorBody = body.slice(0, body.indexOf('\n}\n'))
      expect(constructorBody).toContain(`this.name = '${name}'`)
    },
  )

  it('should keep the name when the build strips class names', () => {
    stripClassName(APIError)
    stripClassName(LastAdminError)
    const error = new LastAdminError()
    expect(error.name).toBe('LastAdminError')
    expect(formatErrors(error).errors[0].message).toBe(error.message)
  })
})

describe('errors built in place', () => {
  it('should always be named right after construction: the build leaves the class nameless', () => {
    const unnamed = allSources.filter(({ text }) => {
      const constructed = text.match(/new (?:APIError|ValidationError)\b/g)?.length ?? 0
      const namedRightAway = [
        ...text.matchAll(/(?:const|let) (\w+)(?::[^=]+)? = new (?:APIError|ValidationError)\b/g),
      ].filter((match) => text.slice(match.index).includes(`${match[1]}.name = `)).length
      return constructed !== namedRightAway
    })
    expect(unnamed.map(({ file }) => file)).toEqual([])
  })
})
