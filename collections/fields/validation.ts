import type { Validate } from 'payload'

/**
 * A field's own checks, run with Payload's validator for its type rather than instead of it.
 *
 * A `validate` on a field replaces Payload's: `required`, `min`/`max`, `minLength`/`maxLength`,
 * `maxRows` and the rest are no longer checked. The item price's own check had dropped the maximum
 * of 2,000,000,000, which only the REST request guard still enforced, so GraphQL and the Local API
 * stored 5 × 10¹². Field validation is the one path every API goes through; composed here, it keeps
 * every constraint the field declares. The first message wins: the field's own (written for
 * editors) before Payload's generic ones.
 */
export const withPayloadValidation =
  <TValue, TField extends object>(
    payloadValidate: Validate<TValue, unknown, unknown, TField>,
    ownValidate: Validate<TValue, unknown, unknown, TField>,
  ): Validate<TValue, unknown, unknown, TField> =>
  async (value, options) => {
    const own = await ownValidate(value, options)
    if (own !== true) return own
    return payloadValidate(value, options)
  }
