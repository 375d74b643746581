/**
 * Seeded pseudo-random numbers for the synthetic market: xoshiro128** (Blackman & Vigna, 2018)
 * seeded through splitmix32, normals by the Box-Muller transform, and stateless hashing for
 * values that must be a pure function of a key (sizes, noise on volume and open interest).
 *
 * Every random quantity of the market is drawn from a stream derived from
 * (market seed, symbol, what, when) with {@link deriveSeed}, so adding a symbol, asking for one
 * day before another or generating history lazily never changes any other number.
 *
 * @packageDocumentation
 */

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a bijective avalanche on uint32. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units, finalised with {@link mix32}. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/**
 * Combines integer keys (each taken modulo 2³²) into one 32-bit seed. Order matters; the result
 * changes completely when any key changes.
 */
export function deriveSeed(...keys: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    // Split the key into its low 32 bits and a high part so large integers (e.g. epoch
    // milliseconds) do not alias.
    const low = key >>> 0;
    const high = Math.floor(key / TWO_POW_32) >>> 0;
    h = mix32((h ^ mix32(low)) + 0x9e3779b9);
    h = mix32((h ^ mix32(high + 0x632be5ab)) + 0x7f4a7c15);
  }
  return h;
}

/** A uniform number in [0, 1) that is a pure function of the keys (no stream state). */
export function hashUnit(...keys: readonly number[]): number {
  return deriveSeed(...keys) / TWO_POW_32;
}

/** splitmix32's output for a state (the state advances by the golden-ratio increment). */
function splitmix32Output(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * xoshiro128** 1.1: 128 bits of state, period 2¹²⁸ − 1, 32-bit outputs. Small, fast in 32-bit
 * integer arithmetic (Math.imul) and well studied, which is all a simulator needs.
 */
export class Xoshiro128 {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spareNormal = NaN;

  /** Seeds the four state words from splitmix32(seed), as the authors recommend. */
  constructor(seed: number) {
    const base = seed | 0;
    this.#s0 = splitmix32Output((base + GOLDEN) | 0) | 0;
    this.#s1 = splitmix32Output((base + 2 * GOLDEN) | 0) | 0;
    this.#s2 = splitmix32Output((base + 3 * GOLDEN) | 0) | 0;
    this.#s3 = splitmix32Output((base + 4 * GOLDEN) | 0) | 0;
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1; // the one forbidden state
  }

  /** Creates a generator from explicit state words (for reference-vector tests). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const rng = new Xoshiro128(0);
    rng.#s0 = s0 | 0;
    rng.#s1 = s1 | 0;
    rng.#s2 = s2 | 0;
    rng.#s3 = s3 | 0;
    return rng;
  }

  /** Next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1) — never 0, so logarithms are safe. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal by Box-Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    const spare = this.#spareNormal;
    if (!Number.isNaN(spare)) {
      this.#spareNormal = NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.#spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/** A generator for the stream named by the keys (see {@link deriveSeed}). */
export function streamFor(...keys: readonly number[]): Xoshiro128 {
  return new Xoshiro128(deriveSeed(...keys));
}
