import { describe, expect, it } from "vitest";
import { normCdf } from "./normal.js";
import { createSolverWorkspace, householderStep, initialGuess, normalizedOtmCall, startFrom } from "./normalized-black.js";

/** c(a, s) written literally with the public normCdf, as an independent reference. */
function reference(a: number, s: number): number {
  return Math.exp(-0.5 * a) * normCdf(-a / s + 0.5 * s) - Math.exp(0.5 * a) * normCdf(-a / s - 0.5 * s);
}

/** Points where β pins s down to better than 1e-12 (so a 1e-9 error is the solver's, not the price's). */
function grid(): { a: number; s: number; beta: number }[] {
  const points: { a: number; s: number; beta: number }[] = [];
  for (let la = -4; la <= 0.9; la += 0.1) {
    const a = 10 ** la;
    for (let ls = -3; ls <= 0.7; ls += 0.02) {
      const s = 10 ** ls;
      const bmax = Math.exp(-0.5 * a);
      const t1 = bmax * normCdf(-a / s + 0.5 * s);
      const t2 = normCdf(-a / s - 0.5 * s) / bmax;
      const beta = t1 - t2;
      const vega = (bmax * Math.exp(-0.5 * (-a / s + 0.5 * s) ** 2)) / Math.sqrt(2 * Math.PI);
      if (beta > 1e-280 && beta < bmax && vega * s * 1e-12 > 64 * Number.EPSILON * (t1 + t2)) points.push({ a, s, beta });
    }
  }
  return points;
}

// c(a, s) from mpmath at 50 digits for the exact double inputs (src/testdata/reference.py).
const MPMATH: readonly (readonly [number, number, number])[] = [
  [0.039810717055349935, 0.001202264434617413, 3.487469819606836e-245],
  [1.0, 0.03, 5.7061602972737865e-247],
  [5.0, 0.2, 2.4254749210153427e-140],
  [0.5, 0.02, 2.4374726016356547e-141],
  [0.0001, 2e-5, 1.0692331067165047e-12],
  [2.0, 0.1, 1.3683094548416367e-91],
  [0.3, 0.25, 0.013951998326581377],
  [0.01, 0.5, 0.19245376379916407],
  [0.0, 1.0, 0.3829249225480262],
  [3.0, 4.0, 0.18620213690775986],
];

describe("normalised Black function", () => {
  it("matches mpmath deep out of the money, where the literal formula loses digits", () => {
    // Up to ε·a/s² from the subtraction of the two terms (a/s² ≈ 3e4 in the first case); an
    // error that size moves the implied s by only ~ε/a (docs/core-math.md).
    for (const [a, s, want] of MPMATH) {
      expect(Math.abs(normalizedOtmCall(a, s) / want - 1), `a=${a} s=${s}`).toBeLessThan(1e-13 + 2 * Number.EPSILON * (a / (s * s)));
    }
  });

  it("matches the literal formula within that formula's own rounding", () => {
    for (const { a, s } of grid()) {
      // The literal formula rounds d1 = −a/s + s/2 (error ~|d1|·ε), which N amplifies by |d1|
      // and the subtraction by ~(1 + a/s²).
      const d1 = Math.abs(-a / s + 0.5 * s);
      const tol = 1e-13 + 8 * Number.EPSILON * (1 + d1 * d1) * (1 + a / (s * s));
      expect(Math.abs(normalizedOtmCall(a, s) / reference(a, s) - 1), `a=${a} s=${s}`).toBeLessThan(tol);
    }
  });
});

describe("Householder(4) iteration", () => {
  const points = grid();

  it("has a meaningful grid", () => {
    expect(points.length).toBeGreaterThan(5000);
  });

  /** Worst relative error after one step from s·(1 ± delta), over the grid. */
  function worstAfterOneStep(delta: number): number {
    const ws = createSolverWorkspace(1);
    let worst = 0;
    // Starts on the far side of s_c = √(2a) would be moved into the bracket; skip those few.
    for (const { a, s, beta } of points.filter((p) => Math.abs(p.s / Math.sqrt(2 * p.a) - 1) > 2 * delta)) {
      for (const f of [1 - delta, 1 + delta]) {
        ws.a[0] = a;
        ws.beta[0] = beta;
        ws.bmax[0] = Math.exp(-0.5 * a);
        startFrom(ws, 0, s * f);
        householderStep(ws, 0);
        worst = Math.max(worst, Math.abs(ws.s[0]! / s - 1));
      }
    }
    return worst;
  }

  // The stopping rule accepts a step smaller than 2e-3·s because one step from that close lands
  // within ~1e-11 (quintic convergence). This checks that promise directly.
  it("one step from a ±0.2 % error lands within 1e-10", () => {
    expect(worstAfterOneStep(0.002)).toBeLessThan(1e-10);
  });

  // Fifth order: ±1 % → ~2e-10 at worst (a fourth-order step would leave ~7e-9).
  it("one step from a ±1 % error lands within 1e-9 (fifth-order convergence)", () => {
    expect(worstAfterOneStep(0.01)).toBeLessThan(1e-9);
  });

  it("converges from far-off starting points too (safeguards)", () => {
    const ws = createSolverWorkspace(1);
    for (const { a, s, beta } of points.filter((_, i) => i % 7 === 0)) {
      for (const f of [0.01, 0.3, 3, 50]) {
        ws.a[0] = a;
        ws.beta[0] = beta;
        ws.bmax[0] = Math.exp(-0.5 * a);
        startFrom(ws, 0, s * f);
        while (!householderStep(ws, 0));
        expect(Math.abs(ws.s[0]! / s - 1), `a=${a} s=${s} start×${f}`).toBeLessThan(1e-9);
        expect(ws.evaluations[0]).toBeLessThan(40);
      }
    }
  });

  it("the table guess is within 1 % for a ≤ 1 and ~1e-4 typically; asymptotic guesses are sane elsewhere", () => {
    const ws = createSolverWorkspace(1);
    const inTable: number[] = [];
    let worstOutside = 0;
    for (const { a, s, beta } of points) {
      ws.a[0] = a;
      ws.beta[0] = beta;
      ws.bmax[0] = Math.exp(-0.5 * a);
      initialGuess(ws, 0);
      const err = Math.abs(ws.s[0]! / s - 1);
      const l = -0.5 * a - Math.log(beta);
      const w = l / (1 + l);
      if (a <= 1 && w >= 0.05 && w <= 0.99) inTable.push(err);
      else worstOutside = Math.max(worstOutside, err);
    }
    inTable.sort((x, y) => x - y);
    expect(inTable.length).toBeGreaterThan(2000);
    expect(inTable[Math.floor(inTable.length / 2)]).toBeLessThan(1e-4);
    expect(inTable[inTable.length - 1]).toBeLessThan(1e-2);
    expect(worstOutside).toBeLessThan(1);
  });
});
