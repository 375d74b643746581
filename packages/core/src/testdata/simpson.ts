/**
 * Test helper: an independent numerical reference for lognormal expectations.
 *
 * @packageDocumentation
 */

import type { LognormalModel } from "../probability.js";

/**
 * E[f(S_T)] by composite Simpson's rule over z, S_T = S_0·exp((μ − σ²/2)T + σ√T·z), z ~ N(0, 1),
 * on [−12, 12] split at the given kinks of f so every piece is smooth (fourth-order accurate).
 */
export function simpsonExpectation(model: LognormalModel, f: (s: number) => number, kinks: readonly number[] = []): number {
  const s = model.vol * Math.sqrt(model.time);
  const m = (model.drift - 0.5 * model.vol * model.vol) * model.time;
  const cuts = [-12, ...kinks.map((k) => (Math.log(k / model.spot) - m) / s).filter((z) => z > -12 && z < 12).sort((a, b) => a - b), 12];
  let total = 0;
  for (let p = 0; p + 1 < cuts.length; p++) {
    const a = cuts[p] ?? NaN;
    const b = cuts[p + 1] ?? NaN;
    const n = 2000;
    const h = (b - a) / n;
    const g = (z: number) => (f(model.spot * Math.exp(m + s * z)) * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
    // Endpoints nudged inside the piece so a kink's own side of the payoff is used.
    const nudge = 1e-9 * h;
    let sum = g(a + nudge) + g(b - nudge);
    for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * g(a + i * h);
    total += (sum * h) / 3;
  }
  return total;
}
