/** Formats a price stored in minor units (cents for USD, yen for JPY) in its ISO 4217 currency. */
export const formatPrice = (minorUnits: number, currency: string, locale = 'en-US'): string => {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const fractionDigits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(minorUnits / 10 ** fractionDigits)
}
