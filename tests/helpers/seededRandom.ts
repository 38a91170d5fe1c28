import crypto from 'node:crypto'

export type SeededRandom = {
  /** A number in [0, 1). */
  next: () => number
  /** A whole number in [0, below). */
  integer: (below: number) => number
  /** True with probability `probability`. */
  chance: (probability: number) => boolean
  pick: <T>(values: readonly T[]) => T
}

/**
 * mulberry32: a small generator whose whole sequence follows from its seed, so a randomised test
 * that fails can be replayed exactly by running it again with the seed it printed.
 */
export const createSeededRandom = (seed: number): SeededRandom => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
  const integer = (below: number) => Math.floor(next() * below)
  return {
    next,
    integer,
    chance: (probability) => next() < probability,
    pick: (values) => {
      if (values.length === 0) throw new Error('cannot pick from an empty list')
      return values[integer(values.length)]
    },
  }
}

/** The seed named by the environment variable `name`, or a fresh one. */
export const seedFromEnv = (name: string): number => {
  const given = process.env[name]?.trim()
  if (!given) return crypto.randomInt(2 ** 31)
  const seed = Number(given)
  if (!Number.isSafeInteger(seed)) throw new Error(`${name} must be a whole number, not ${given}`)
  return seed
}
