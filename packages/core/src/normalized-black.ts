/**
 * Implied total standard deviation s = σ√T of the normalised Black function — the numerical
 * core of implied volatility, shared by the scalar and the batch API.
 *
 * Every European option reduces (put-call parity, then the symmetry x ↔ −x) to an
 * out-of-the-money call on a forward, normalised by √(F·K):
 *
 *   c(a, s) = e^{−a/2}·N(−a/s + s/2) − e^{a/2}·N(−a/s − s/2),   a = |ln(F/K)| ≥ 0,
 *
 * increasing in s from 0 to b_max = e^{−a/2}. Following P. Jäckel, "Let's Be Rational"
 * (Wilmott, January 2015), the iteration works on objectives that are nearly linear in s on
 * either side of the inflection point s_c = √(2a):
 *   s < s_c:  g = 1/ln c(s) − 1/ln β      (c is exponentially flat for small s),
 *   s ≥ s_c:  g = ln(b_max − c(s)) − ln(b_max − β),
 * with Householder's fourth-order method (quintic convergence), a bracket and bisection as
 * safeguards. The initial guess comes from a 129×129 table of s over (a, ln(β/b_max)) built
 * once on first use by this same solver, with asymptotic formulas outside the table; it is
 * accurate to ~1e-4 typically, so one Householder step usually reaches ~1e-15. See
 * docs/core-math.md for the derivation and the measured error bounds.
 *
 * The solver works on a {@link SolverWorkspace} (struct of typed arrays) element by element,
 * and the batch driver runs each stage over all elements before the next: independent
 * iterations let the CPU overlap the long dependency chains (rational functions, exp, log)
 * of different options, and no double ever crosses a non-inlined function boundary
 * (V8 would box it into a heap number).
 *
 * @packageDocumentation
 */

import { INV_SQRT_2PI, millsLower, normCdfCentral, normInv, SMALL_Z } from "./normal.js";

const SQRT_2PI = 2.5066282746310002;
/** 2π/√27: scale of the lower asymptotic map f(s) = (2π/√27)·a·N(−a/(√3·s))³ ≈ c(a, s) as s → 0. */
const TWO_PI_OVER_SQRT_27 = 1.2091995761561452;
const SQRT_3 = 1.7320508075688772;

/** Hard cap on function evaluations per option (never reached in tests; a safeguard). */
export const MAX_EVALUATIONS = 64;

/**
 * Relative step size below which the iteration stops. After a Householder(4) step of relative
 * size δ ≤ 10^-2.5 the remaining error was measured below 7e-10 over a ∈ [1e-6, 16],
 * s ∈ [5e-4, 16] (quintic convergence; docs/core-math.md), so 2e-3 keeps a margin of more
 * than 10 to the 1e-8 contract. Halley and Newton fallback steps converge more slowly and
 * need smaller steps for the same guarantee.
 */
const TOL_HOUSEHOLDER = 2e-3;
const TOL_HALLEY = 1e-6;
const TOL_NEWTON = 1e-10;

/** Per-option solver state, one element per option. */
export interface SolverWorkspace {
  /** a = |ln(F/K)|. */
  a: Float64Array;
  /** Normalised out-of-the-money price β = time value / √(F·K). */
  beta: Float64Array;
  /** b_max = e^{−a/2}, the supremum of β. */
  bmax: Float64Array;
  /** Current iterate, then the solution s = σ√T. */
  s: Float64Array;
  /** Bracket: c(lo) < β. */
  lo: Float64Array;
  /** Bracket: c(hi) > β. */
  hi: Float64Array;
  /** ln β (lower objective) or ln(b_max − β) (upper objective). */
  lnTarget: Float64Array;
  /** 1 when the lower objective is used. */
  lower: Uint8Array;
  /** Function evaluations used so far. */
  evaluations: Int32Array;
  /** Signed x = ln(F/K), kept for the greeks pass. */
  x: Float64Array;
  /** 1 while the option is being solved or solved; 0 when it has no implied vol. */
  valid: Uint8Array;
}

/** Allocates a workspace for n options. */
export function createSolverWorkspace(n: number): SolverWorkspace {
  return {
    a: new Float64Array(n),
    beta: new Float64Array(n),
    bmax: new Float64Array(n),
    s: new Float64Array(n),
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    lnTarget: new Float64Array(n),
    lower: new Uint8Array(n),
    evaluations: new Int32Array(n),
    x: new Float64Array(n),
    valid: new Uint8Array(n),
  };
}

/** c(a, s) (for tests and diagnostics; the solver has its own inlined evaluation). */
export function normalizedOtmCall(a: number, s: number): number {
  if (!(s > 0)) return 0;
  const bmax = Math.exp(-0.5 * a);
  const h = -a / s;
  const t = 0.5 * s;
  const v = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
  const z1 = h + t;
  const z2 = h - t;
  const t1 = z1 < -SMALL_Z ? v * millsLower(z1) : z1 > SMALL_Z ? bmax - v * millsLower(-z1) : bmax * normCdfCentral(z1);
  const t2 = z2 < -SMALL_Z ? v * millsLower(z2) : normCdfCentral(z2) / bmax;
  return t1 - t2;
}

// ---- Initial guess ---------------------------------------------------------------------

/**
 * Which side of the inflection point s_c = √(2a) the solution is on, from c(s_c) = b_c:
 * β < b_c ⇔ s < s_c. Sets the bracket [0, s_c] or [s_c, ∞) and returns b_c.
 */
function inflectionBracket(ws: SolverWorkspace, i: number): number {
  const a = ws.a[i] ?? NaN;
  const bmax = ws.bmax[i] ?? NaN;
  const sc = Math.sqrt(2 * a);
  // c(s_c): h + t = 0, so the first term is b_max/2 exactly and the vega is b_max/√(2π).
  const bc = 0.5 * bmax - (sc > SMALL_Z ? bmax * INV_SQRT_2PI * millsLower(-sc) : normCdfCentral(-sc) / bmax);
  const lower = (ws.beta[i] ?? NaN) < bc;
  ws.lo[i] = lower ? 0 : sc;
  ws.hi[i] = lower ? sc : Infinity;
  return bc;
}

/** Guess from asymptotics, used outside the table; also sets the bracket. */
function analyticGuess(ws: SolverWorkspace, i: number): number {
  const a = ws.a[i] ?? NaN;
  const beta = ws.beta[i] ?? NaN;
  const bmax = ws.bmax[i] ?? NaN;
  const bc = inflectionBracket(ws, i);
  const sc = Math.sqrt(2 * a);
  if (beta < bc) {
    // Asymptotic inverse for small s (exact as β → 0), and the inverse of the Taylor expansion
    // at the inflection point, c ≈ b_c + v_c·(Δ − Δ³/6) (c''(s_c) = 0, c'''(s_c) = −v_c).
    // Both overshoot in between, so the smaller one is the better one.
    const vc = bmax * INV_SQRT_2PI;
    const y = (beta - bc) / vc;
    const sTaylor = sc + y + (y * y * y) / 6;
    const p = Math.cbrt(beta / (TWO_PI_OVER_SQRT_27 * a));
    const sAsym = p < 0.5 ? -a / (SQRT_3 * normInv(p)) : Infinity;
    const s = Math.min(sAsym, sTaylor);
    if (s > 0 && s < sc) return s;
    return sAsym > 0 && sAsym < sc ? sAsym : 0.5 * sc;
  }
  // For large s, b_max − c ≈ (e^{−a/2} + e^{a/2})·N(−s/2); exact when a = 0.
  const s = -2 * normInv((bmax - beta) / (bmax + 1 / bmax));
  return s > sc && s < Infinity ? s : 2 * sc + 1;
}

/*
 * Guess table. Coordinates: u = √(a/A_MAX) ∈ [0, 1] and ω = L/(1 + L) with L = −ln(β/b_max),
 * restricted to ω ∈ [ω0, ω1]. The table holds s/ŝ with ŝ = a/√(2L + a) + √(2π)·β/b_max, a
 * crude approximation that is exact to leading order both deep out of the money
 * (s ≈ a/√(−2 ln β)) and at the money for small s (s ≈ √(2π)·β); the ratio is smooth, so
 * bilinear interpolation is accurate to ~1e-4 over most of the table (worst ~5e-3, near
 * a → 0 with tiny s).
 */
const TABLE_A_MAX = 1;
const TABLE_NU = 128;
const TABLE_NW = 128;
const TABLE_W0 = 0.05;
const TABLE_W1 = 0.99;
const TABLE_STRIDE = TABLE_NW + 1;
let guessTable: Float64Array | undefined;

function sHat(a: number, l: number, ratio: number): number {
  return a / Math.sqrt(2 * l + a) + SQRT_2PI * ratio;
}

/** Builds the table by solving every node, each warm-started from its neighbour. */
function buildGuessTable(): Float64Array {
  const table = new Float64Array((TABLE_NU + 1) * TABLE_STRIDE);
  const ws = createSolverWorkspace(1);
  for (let i = 0; i <= TABLE_NU; i++) {
    const u = i / TABLE_NU;
    const a = TABLE_A_MAX * u * u;
    const bmax = Math.exp(-0.5 * a);
    let previous = NaN;
    for (let j = 0; j <= TABLE_NW; j++) {
      const w = TABLE_W0 + ((TABLE_W1 - TABLE_W0) * j) / TABLE_NW;
      const l = w / (1 - w);
      const ratio = Math.exp(-l);
      ws.a[0] = a;
      ws.beta[0] = bmax * ratio;
      ws.bmax[0] = bmax;
      ws.evaluations[0] = 0;
      let s = analyticGuess(ws, 0);
      if (previous > 0) {
        s = previous;
        ws.lo[0] = 0;
        ws.hi[0] = Infinity;
      }
      setObjective(ws, 0, s, Math.log(bmax * ratio));
      while (!householderStep(ws, 0));
      const solved = ws.s[0] ?? NaN;
      previous = solved > 0 && solved < Infinity ? solved : NaN;
      // A node that failed to solve (never observed) degrades to the crude guess ŝ, not to NaN.
      table[i * TABLE_STRIDE + j] = previous > 0 ? previous / sHat(a, l, ratio) : 1;
    }
  }
  return table;
}

/** Chooses the objective from the side of s_c = √(2a) the guess s is on. */
function setObjective(ws: SolverWorkspace, i: number, s: number, lnBeta: number): void {
  const a = ws.a[i] ?? NaN;
  const lower = s * s < 2 * a;
  ws.s[i] = s;
  ws.lower[i] = lower ? 1 : 0;
  ws.lnTarget[i] = lower ? lnBeta : Math.log((ws.bmax[i] ?? NaN) - (ws.beta[i] ?? NaN));
}

/**
 * Starts element i (a, β, b_max already written) from a given s, with the bracket and
 * objective of its side of the inflection point — for tests of the iteration itself,
 * independent of the initial guess.
 */
export function startFrom(ws: SolverWorkspace, i: number, s: number): void {
  ws.evaluations[i] = 0;
  inflectionBracket(ws, i);
  const lo = ws.lo[i] ?? NaN;
  const hi = ws.hi[i] ?? NaN;
  setObjective(ws, i, hi < Infinity ? 0 : Infinity, Math.log(ws.beta[i] ?? NaN));
  // A start outside the bracket is moved into it.
  ws.s[i] = s > lo && s < hi ? s : hi < Infinity ? 0.5 * (lo + hi) : 2 * lo + 1;
}

/**
 * Sets the initial guess, bracket and objective of element i (a, β, b_max already written).
 * Builds the guess table on the first call.
 */
export function initialGuess(ws: SolverWorkspace, i: number): void {
  const table = (guessTable ??= buildGuessTable());
  const a = ws.a[i] ?? NaN;
  const beta = ws.beta[i] ?? NaN;
  const bmax = ws.bmax[i] ?? NaN;
  ws.evaluations[i] = 0;
  const lnBeta = Math.log(beta);
  const l = -0.5 * a - lnBeta;
  const w = l / (1 + l);
  let s: number;
  if (a <= TABLE_A_MAX && w >= TABLE_W0 && w <= TABLE_W1) {
    const fu = Math.sqrt(a / TABLE_A_MAX) * TABLE_NU;
    const fw = (w - TABLE_W0) * (TABLE_NW / (TABLE_W1 - TABLE_W0));
    const iu = Math.min(Math.trunc(fu), TABLE_NU - 1);
    const iw = Math.min(Math.trunc(fw), TABLE_NW - 1);
    const du = fu - iu;
    const dw = fw - iw;
    const k0 = iu * TABLE_STRIDE + iw;
    const k1 = k0 + TABLE_STRIDE;
    const t00 = table[k0] ?? NaN;
    const t10 = table[k1] ?? NaN;
    const r0 = t00 + dw * ((table[k0 + 1] ?? NaN) - t00);
    const r1 = t10 + dw * ((table[k1 + 1] ?? NaN) - t10);
    s = (r0 + du * (r1 - r0)) * sHat(a, l, beta / bmax);
    ws.lo[i] = 0;
    ws.hi[i] = Infinity;
    if (!(s > 0 && s < Infinity)) s = analyticGuess(ws, i);
  } else {
    s = analyticGuess(ws, i);
  }
  setObjective(ws, i, s, lnBeta);
}

// ---- Iteration -------------------------------------------------------------------------

/**
 * One evaluation of c at the current iterate of element i and one safeguarded Householder(4)
 * step. Returns true when element i has converged (the solution is then in ws.s[i]) or the
 * evaluation cap is reached (ws.s[i] is then NaN).
 */
export function householderStep(ws: SolverWorkspace, i: number): boolean {
  const n = (ws.evaluations[i] ?? 0) + 1;
  ws.evaluations[i] = n;
  const a = ws.a[i] ?? NaN;
  const s = ws.s[i] ?? NaN;
  const bmax = ws.bmax[i] ?? NaN;
  const beta = ws.beta[i] ?? NaN;
  // c = e^{−a/2}·N(h + t) − e^{a/2}·N(h − t) with h = −a/s, t = s/2. Both terms are the
  // normalised vega v times a Mills ratio (e^{−a/2}·φ(h + t) = e^{a/2}·φ(h − t) = v), so one
  // exponential serves both; b_max − c is formed from the complementary tails to keep its
  // relative accuracy when c is close to b_max.
  const inv = 1 / s;
  const h = -a * inv;
  const t = 0.5 * s;
  const v = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
  const z1 = h + t;
  const z2 = h - t;
  // Both terms go through one call site of each helper (a two-pass loop): V8's inlining budget
  // fits one copy of each, and a call it does not inline boxes its doubles.
  let t1 = 0;
  let u1 = 0;
  let t2 = 0;
  for (let k = 0; k < 2; k++) {
    const z = k === 0 ? z1 : z2;
    if (Math.abs(z) > SMALL_Z) {
      // The tail on the far side of zero (z2 < 0 always).
      const tail = v * millsLower(-Math.abs(z));
      if (k === 1) t2 = tail;
      else if (z < 0) {
        t1 = tail;
        u1 = bmax - tail;
      } else {
        t1 = bmax - tail;
        u1 = tail;
      }
    } else {
      const nc = normCdfCentral(z);
      if (k === 1) t2 = nc / bmax;
      else {
        t1 = bmax * nc;
        u1 = bmax * (1 - nc);
      }
    }
  }
  const c = t1 - t2;
  let lo = ws.lo[i] ?? NaN;
  let hi = ws.hi[i] ?? NaN;
  // Only ever tighten the bracket (an iterate can sit outside it only at the very start).
  if (c < beta) lo = s > lo ? s : lo;
  else if (c > beta) hi = s < hi ? s : hi;
  else return true;
  ws.lo[i] = lo;
  ws.hi[i] = hi;
  // Derivatives of c: c' = v, c'' = v·p1, c''' = v·p2, c'''' = v·p3 where p_n are built from
  // ln v = −(a²/s² + s²/4)/2 − ln√(2π): l1 = a²/s³ − s/4, l2 = −3a²/s⁴ − 1/4, l3 = 12a²/s⁵.
  const h2s = h * h * inv; // a²/s³
  const p1 = h2s - 0.25 * s;
  const l2 = -3 * h2s * inv - 0.25;
  const l3 = 12 * h2s * inv * inv;
  const p2 = l2 + p1 * p1;
  const p3 = l3 + 3 * p1 * l2 + p1 * p1 * p1;
  const lnTarget = ws.lnTarget[i] ?? NaN;
  // Newton step nu and h_k = g^(k)/g' of the objective g (Faà di Bruno on G(c(s))).
  let nu: number;
  let h2: number;
  let h3: number;
  let h4: number;
  if (ws.lower[i] === 1) {
    // g = 1/ln c − 1/ln β.
    const lnC = Math.log(c);
    const w = v / c;
    const il = 1 / lnC;
    const k = 1 + 2 * il;
    nu = ((lnTarget - lnC) * lnC) / (lnTarget * w);
    const g3 = w * w * (2 + 6 * il * (1 + il));
    h2 = p1 - w * k;
    h3 = p2 + g3 - 3 * w * k * p1;
    h4 = p3 - w * w * w * (6 + il * (22 + il * (36 + 24 * il))) + 6 * g3 * p1 - w * k * (4 * p2 + 3 * p1 * p1);
  } else {
    // g = ln(b_max − c) − ln(b_max − β).
    const u = u1 + t2;
    const w = v / u;
    nu = (Math.log(u) - lnTarget) / w;
    h2 = w + p1;
    h3 = 2 * w * w + 3 * w * p1 + p2;
    h4 = 6 * w * w * w + 12 * w * w * p1 + w * (4 * p2 + 3 * p1 * p1) + p3;
  }
  // Householder(4), falling back to Halley, then Newton, when the correction factor is not
  // positive (the iterate is outside the higher-order method's domain of attraction).
  const num4 = 1 + nu * (h2 + (nu * h3) / 6);
  const den4 = 1 + nu * (1.5 * h2 + nu * (0.25 * h2 * h2 + h3 / 3 + (nu * h4) / 24));
  const eta = 0.5 * h2 * nu;
  let ds: number;
  let tol: number;
  if (num4 > 0 && den4 > 0) {
    ds = (nu * num4) / den4;
    tol = TOL_HOUSEHOLDER;
  } else if (eta > -1) {
    ds = nu / (1 + eta);
    tol = TOL_HALLEY;
  } else {
    ds = nu;
    tol = TOL_NEWTON;
  }
  if (Math.abs(ds) <= tol * s) {
    ws.s[i] = s + ds;
    return true;
  }
  if (hi - lo <= 4 * Number.EPSILON * hi && hi < Infinity) {
    // Bracket exhausted at double precision: the price cannot resolve s any further.
    ws.s[i] = 0.5 * (lo + hi);
    return true;
  }
  if (n >= MAX_EVALUATIONS) {
    ws.s[i] = NaN;
    return true;
  }
  const next = s + ds;
  // A step that leaves the bracket (or is not a number) becomes a bisection, or a doubling /
  // halving while one side of the bracket is still open.
  ws.s[i] = next > lo && next < hi ? next : hi === Infinity ? 2 * lo : lo === 0 ? 0.5 * hi : 0.5 * (lo + hi);
  return false;
}
