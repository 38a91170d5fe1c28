import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'

import {
  findSignInMutations,
  oneSignInPerRequestMessage,
  oneSignInPerRequestRule,
} from './graphqlSignIn'

/** The shape of the mutations Payload generates for an auth collection, and one that is not. */
const schema = buildSchema(`
  type Token { token: String }
  type Query { me: String }
  type Mutation {
    loginUser(email: String!, password: String): Token
    forgotPasswordUser(email: String!): Boolean!
    resetPasswordUser(token: String, password: String): Token
    verifyEmailUser(token: String): Boolean
    refreshTokenUser: Token
    logoutUser: String
    createLoginEvent(name: String): Token
    loginAnything: Token
  }
`)

const errorsOf = (query: string) =>
  validate(schema, parse(query), [oneSignInPerRequestRule]).map((error) => error.message)

const login = (alias: string) => `${alias}: loginUser(email: "a@b.test", password: "x") { token }`

describe('one sign-in operation per request', () => {
  it("should find the sign-in mutations of the schema's auth collections only", () => {
    expect([...findSignInMutations(schema)].sort()).toEqual([
      'forgotPasswordUser',
      'loginUser',
      'resetPasswordUser',
      'verifyEmailUser',
    ])
  })

  it('should accept one sign-in operation, beside other fields', () => {
    expect(errorsOf(`mutation { ${login('a')} refreshTokenUser { token } }`)).toEqual([])
    expect(errorsOf('mutation { forgotPasswordUser(email: "a@b.test") }')).toEqual([])
    expect(
      errorsOf('mutation { a: createLoginEvent { token } b: createLoginEvent { token } }'),
    ).toEqual([])
    expect(errorsOf('{ a: me b: me }')).toEqual([])
  })

  it('should refuse more than one, however the request holds them', () => {
    const refusals: [string, number][] = [
      [
        `mutation { ${Array.from({ length: 10 }, (_, index) => login(`a${index}`)).join(' ')} }`,
        10,
      ],
      [`mutation { ${login('a')} forgotPasswordUser(email: "a@b.test") }`, 2],
      [`mutation { ...F } fragment F on Mutation { ${login('a')} ${login('b')} }`, 2],
      [`mutation { ${login('a')} ... on Mutation { ${login('b')} } }`, 2],
      [`mutation { ${login('a')} ...F } fragment F on Mutation { ${login('b')} }`, 2],
      [`mutation A { ${login('a')} } mutation B { ${login('b')} }`, 2],
      ['mutation { a: verifyEmailUser(token: "x") b: resetPasswordUser(token: "y") { token } }', 2],
    ]
    for (const [query, count] of refusals) {
      expect(errorsOf(query)).toEqual([oneSignInPerRequestMessage(count)])
    }
  })
})
