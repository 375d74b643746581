import { describe, expect, it } from "vitest";
import { normCdf, normInv, normPdf } from "./normal.js";

// N(z) from mpmath at 50 digits (src/testdata/reference.py).
const CDF_REFERENCE: readonly (readonly [number, number])[] = [
  [-38, 2.88542835e-316],
  [-37, 5.725571222524577e-300],
  [-30, 4.906713927148187e-198],
  [-20, 2.7536241186062337e-89],
  [-10, 7.619853024160525e-24],
  [-8, 6.220960574271784e-16],
  [-6, 9.86587645037698e-10],
  [-5, 2.866515718791939e-7],
  [-4, 3.1671241833119924e-5],
  [-3, 0.0013498980316300946],
  [-2, 0.02275013194817921],
  [-1.5, 0.06680720126885807],
  [-1, 0.15865525393145705],
  [-0.7, 0.241963652223073],
  [-0.66, 0.25462691467133614],
  [-0.5, 0.3085375387259869],
  [-0.1, 0.460172162722971],
  [0, 0.5],
  [0.3, 0.6179114221889527],
  [0.66, 0.7453730853286639],
  [0.7, 0.758036347776927],
  [1, 0.8413447460685429],
  [2, 0.9772498680518208],
  [3, 0.9986501019683699],
  [5, 0.9999997133484281],
  [8, 0.9999999999999993],
];

// N^-1(p) from mpmath at 50 digits (src/testdata/reference.py).
const QUANTILE_REFERENCE: readonly (readonly [number, number])[] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965326],
  [1e-20, -9.262340089798407],
  [1e-10, -6.361340902404057],
  [0.001, -3.0902323061678136],
  [0.02425, -1.972961051311885],
  [0.075, -1.439531470938456],
  [0.3, -0.5244005127080408],
  [0.5, 0],
  [0.8, 0.8416212335729142],
  [0.975, 1.9599639845400543],
  [0.999999, 4.753424308822899],
];

/**
 * Independent reference written from the textbook definitions, slow but accurate:
 * Laplace's continued fraction N(−x) = φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))) for x ≥ 1, and the
 * series N(z) = ½ + φ(z)·Σ z^{2n+1}/(1·3·…·(2n+1)) for |z| < 1.
 */
function referenceCdf(z: number): number {
  const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  if (Math.abs(z) >= 1) {
    const x = Math.abs(z);
    let fraction = x;
    for (let k = 2000; k >= 1; k--) fraction = x + k / fraction;
    const lower = phi / fraction;
    return z < 0 ? lower : 1 - lower;
  }
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (z * z) / (2 * n + 1);
    sum += term;
  }
  return 0.5 + phi * sum;
}

describe("normCdf", () => {
  it("matches 50-digit mpmath values to ~1e-15 relative, including the far lower tail", () => {
    for (const [z, expected] of CDF_REFERENCE) {
      const got = normCdf(z);
      if (expected < 1e-307) {
        // Subnormal range: only absolute accuracy is meaningful.
        expect(Math.abs(got - expected)).toBeLessThan(1e-318);
      } else {
        expect(Math.abs(got / expected - 1), `z=${z}`).toBeLessThan(2e-15);
      }
    }
  });

  it("agrees with a continued-fraction / series reference on a dense grid", () => {
    for (let z = -37; z <= 8; z += 0.0173) {
      const expected = referenceCdf(z);
      if (z <= 0) {
        // Relative error of the lower tail, which deep out-of-the-money options depend on. The
        // reference's own exp(−z²/2) carries ~z²/2 ulps, hence the z-dependent allowance.
        expect(Math.abs(normCdf(z) / expected - 1), `z=${z}`).toBeLessThan((8 + 0.5 * z * z) * Number.EPSILON);
      } else {
        expect(Math.abs(normCdf(z) - expected), `z=${z}`).toBeLessThan(4 * Number.EPSILON);
      }
    }
  });

  it("is symmetric: N(z) + N(−z) = 1", () => {
    for (let z = 0; z <= 8; z += 0.01) expect(Math.abs(normCdf(z) + normCdf(-z) - 1)).toBeLessThan(2e-16);
  });

  it("handles the limits and NaN", () => {
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(-40)).toBe(0);
    expect(Number.isNaN(normCdf(NaN))).toBe(true);
  });

  it("A&S Table 26.1 values", () => {
    // Abramowitz & Stegun, Table 26.1: P(1.0) = 0.84134 47460 68543, P(2.0) = 0.97724 98680 51821.
    expect(normCdf(1)).toBeCloseTo(0.841344746068543, 15);
    expect(normCdf(2)).toBeCloseTo(0.977249868051821, 15);
  });
});

describe("normPdf", () => {
  it("is the standard normal density", () => {
    expect(normPdf(0)).toBeCloseTo(0.3989422804014327, 16);
    expect(normPdf(1)).toBeCloseTo(0.24197072451914337, 16);
    expect(normPdf(-1)).toBe(normPdf(1));
  });
});

describe("normInv", () => {
  it("matches mpmath quantiles", () => {
    for (const [p, expected] of QUANTILE_REFERENCE) {
      const got = normInv(p);
      // Beyond 2e-15 relative, allow for p itself being the nearest double to the decimal value:
      // that moves the quantile by up to ε·p/φ(z), which is large near p = 1.
      const conditioning = (2 * Number.EPSILON * p) / normPdf(expected);
      expect(Math.abs(got - expected), `p=${p}`).toBeLessThan(2e-15 * Math.abs(expected) + conditioning);
    }
  });

  it("inverts normCdf (lower half; the upper half follows by symmetry)", () => {
    for (let z = -37; z <= 0; z += 0.37) {
      expect(Math.abs(normInv(normCdf(z)) - z), `z=${z}`).toBeLessThan(4e-15 * Math.max(1, Math.abs(z)));
    }
    expect(normInv(0.3)).toBe(-normInv(0.7));
  });

  it("returns ±Infinity at 0 and 1 and NaN outside [0, 1]", () => {
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(Number.isNaN(normInv(-0.1))).toBe(true);
    expect(Number.isNaN(normInv(1.1))).toBe(true);
    expect(Number.isNaN(normInv(NaN))).toBe(true);
  });
});
