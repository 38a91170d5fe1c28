import { describe, expect, it } from 'vitest'

import { formatPrice } from './formatPrice'

describe('formatPrice', () => {
  it('should treat the amount as cents for a two-decimal currency', () => {
    expect(formatPrice(1999, 'USD')).toBe('$19.99')
  })

  it('should treat the amount as whole units for a zero-decimal currency', () => {
    expect(formatPrice(1999, 'JPY')).toBe('¥1,999')
  })

  it('should use three decimals where the currency has them', () => {
    // ICU separates the code with a no-break space.
    expect(formatPrice(1999, 'KWD').replace(/\u00a0/g, ' ')).toBe('KWD 1.999')
  })
})
