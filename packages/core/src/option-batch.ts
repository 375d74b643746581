/**
 * Struct-of-arrays layout for many options at once (an option chain), used by the batch
 * (vectorised) pricing and implied-volatility functions. Callers own and reuse the arrays;
 * the batch functions never allocate per element.
 *
 * @packageDocumentation
 */

/** Right codes in {@link OptionBatch.right}. */
export const RightCode = {
  /** Put option. */
  Put: 0,
  /** Call option. */
  Call: 1,
} as const;

const RIGHT_CODES: Readonly<Record<string, number>> = { call: RightCode.Call, put: RightCode.Put };

/**
 * {@link RightCode} of a right name; undefined for anything else (JavaScript callers can pass
 * strings the type system never saw).
 */
export function rightCode(right: string): number | undefined {
  return RIGHT_CODES[right];
}

/** Options as parallel arrays; element i of every array describes option i. */
export interface OptionBatch {
  /** {@link RightCode}: 1 call, 0 put; any other value is invalid input. */
  readonly right: Uint8Array;
  /** Underlying price S. */
  readonly spot: Float64Array;
  /** Strike K. */
  readonly strike: Float64Array;
  /** Time to expiry in years (calendar days / 365). */
  readonly time: Float64Array;
  /** Continuously compounded risk-free rate per year. */
  readonly rate: Float64Array;
  /** Continuous dividend yield per year. */
  readonly dividendYield: Float64Array;
}

/** Output arrays for prices and greeks, same units as the scalar `Greeks`. */
export interface GreeksBatch {
  /** Option value per share. */
  readonly price: Float64Array;
  /** ∂V/∂S. */
  readonly delta: Float64Array;
  /** ∂²V/∂S². */
  readonly gamma: Float64Array;
  /** Per calendar day. */
  readonly theta: Float64Array;
  /** Per vol point (σ + 0.01). */
  readonly vega: Float64Array;
  /** Per rate point (r + 0.01). */
  readonly rho: Float64Array;
}

/** Allocates an {@link OptionBatch} of n options (all zeros). */
export function createOptionBatch(n: number): OptionBatch {
  return {
    right: new Uint8Array(n),
    spot: new Float64Array(n),
    strike: new Float64Array(n),
    time: new Float64Array(n),
    rate: new Float64Array(n),
    dividendYield: new Float64Array(n),
  };
}

/** Allocates a {@link GreeksBatch} for n options. */
export function createGreeksBatch(n: number): GreeksBatch {
  return {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    theta: new Float64Array(n),
    vega: new Float64Array(n),
    rho: new Float64Array(n),
  };
}

/** Number of options in the batch; throws if the arrays disagree in length. */
export function batchLength(options: OptionBatch): number {
  const n = options.strike.length;
  if (options.right.length !== n || options.spot.length !== n || options.time.length !== n ||
    options.rate.length !== n || options.dividendYield.length !== n) {
    throw new RangeError("OptionBatch arrays must all have the same length");
  }
  return n;
}

/** Throws unless every array is at least n long. */
export function requireLength(n: number, arrays: Readonly<Record<string, ArrayLike<number>>>): void {
  for (const [name, array] of Object.entries(arrays)) {
    if (array.length < n) throw new RangeError(`${name} has length ${array.length}, need at least ${n}`);
  }
}

/** Throws unless every greeks output array is at least n long. */
export function requireGreeksLength(n: number, out: GreeksBatch): void {
  requireLength(n, {
    "out.price": out.price,
    "out.delta": out.delta,
    "out.gamma": out.gamma,
    "out.theta": out.theta,
    "out.vega": out.vega,
    "out.rho": out.rho,
  });
}

