import { maxInt4 } from '../../../plugins/pluginKit'

const digitsOnly = /^[1-9]\d{0,9}$/

/**
 * True for the exact decimal text of an id the database can hold: 1 to 2147483647, no sign,
 * spaces, exponent, leading zero or trailing characters. Payload reads ids with parseFloat, which
 * turns `5abc` into 5 and `1 OR 1=1` into 1 — a DELETE of either removed document 5 or 1.
 */
export const isDocumentIdText = (text: string): boolean =>
  digitsOnly.test(text) && Number(text) <= maxInt4

export const documentIdMessage = `ids are whole numbers from 1 to ${maxInt4}`
