import { describe, expect, it } from "vitest";
import { atmImpliedVol, atmTotalVariance, ssviTotalVariance, validateSurfaceParams, type SurfaceParams } from "./vol-surface.js";

const base: SurfaceParams = { longRunVariance: 0.2 ** 2 / 1.2, meanReversion: 4, premium: 1.2, rho: -0.7, eta: 1, gamma: 0.45 };

/**
 * Gatheral & Jacquier's butterfly condition: the density implied by total variance w(k) is
 * non-negative iff g(k) = (1 − k·w′/(2w))² − (w′²/4)(1/w + 1/4) + w″/2 ≥ 0.
 */
function g(w: (k: number) => number, k: number): number {
  const h = 1e-4;
  const w0 = w(k);
  const w1 = (w(k + h) - w(k - h)) / (2 * h);
  const w2 = (w(k + h) - 2 * w0 + w(k - h)) / (h * h);
  return (1 - (k * w1) / (2 * w0)) ** 2 - ((w1 * w1) / 4) * (1 / w0 + 0.25) + w2 / 2;
}

describe("vol surface", () => {
  it("has no butterfly arbitrage (g ≥ 0) for equity-like parameters and vol states", () => {
    let worst = Infinity;
    for (const rho of [-0.75, -0.45, -0.3]) {
      const p = { ...base, rho, eta: Math.min(1, 2 / (1 + Math.abs(rho))) };
      validateSurfaceParams(p);
      for (const v of [0.01, 0.04, 0.25]) {
        for (const T of [1 / 365, 7 / 365, 30 / 365, 0.5, 1.2]) {
          const theta = atmTotalVariance(p, v, T);
          for (let k = -1.5; k <= 1.5; k += 0.01) worst = Math.min(worst, g((x) => ssviTotalVariance(p, theta, x), k));
        }
      }
    }
    expect(worst).toBeGreaterThan(-1e-6);
  });

  it("has no calendar arbitrage: total variance grows with T at every moneyness", () => {
    let violations = 0;
    for (const v of [0.005, 0.04, 0.3]) {
      let previous = new Array<number>(61).fill(0);
      for (let T = 1 / 365; T < 1.5; T += 3 / 365) {
        const theta = atmTotalVariance(base, v, T);
        const now = previous.map((_, i) => ssviTotalVariance(base, theta, -1.5 + i * 0.05));
        now.forEach((w, i) => {
          if (w < previous[i]! - 1e-15) violations++;
        });
        previous = now;
      }
    }
    expect(violations).toBe(0);
  });

  it("skews towards puts and ties the term structure to the vol state", () => {
    const theta = atmTotalVariance(base, 0.04, 30 / 365);
    expect(ssviTotalVariance(base, theta, -0.1)).toBeGreaterThan(ssviTotalVariance(base, theta, 0.1));
    expect(ssviTotalVariance(base, theta, 0)).toBeCloseTo(theta, 14);
    // Calm market: upward sloping; stressed market: inverted; both tend to the long-run level.
    const longRun = Math.sqrt(base.longRunVariance * base.premium);
    expect(atmImpliedVol(base, 0.01, 7 / 365)).toBeLessThan(atmImpliedVol(base, 0.01, 1));
    expect(atmImpliedVol(base, 0.16, 7 / 365)).toBeGreaterThan(atmImpliedVol(base, 0.16, 1));
    expect(atmImpliedVol(base, 0.01, 30)).toBeCloseTo(longRun, 2);
  });

  it("refuses parameters outside the no-arbitrage conditions", () => {
    expect(() => { validateSurfaceParams({ ...base, eta: 1.3 }); }).toThrow(RangeError);
    expect(() => { validateSurfaceParams({ ...base, gamma: 0.6 }); }).toThrow(RangeError);
    expect(() => { validateSurfaceParams({ ...base, rho: -1 }); }).toThrow(RangeError);
  });
});
