import { describe, expect, it } from "vitest";
import { bsmGreeksBatch } from "./bsm-batch.js";
import { bsmGreeks, bsmPrice, type BsmInput, type OptionRight } from "./bsm.js";
import { createGreeksBatch, createOptionBatch, RightCode } from "./option-batch.js";

function input(right: OptionRight, spot: number, strike: number, time: number, rate: number, dividendYield: number, vol: number): BsmInput {
  return { right, spot, strike, time, rate, dividendYield, vol };
}

describe("textbook examples", () => {
  it("Hull, Options Futures and Other Derivatives, Example 15.6: S=42 K=40 r=10% σ=20% T=0.5 → c=4.76, p=0.81", () => {
    expect(bsmPrice(input("call", 42, 40, 0.5, 0.1, 0, 0.2))).toBeCloseTo(4.76, 2);
    expect(bsmPrice(input("put", 42, 40, 0.5, 0.1, 0, 0.2))).toBeCloseTo(0.81, 2);
  });

  it("Hull's greek letters example: S=49 K=50 r=5% σ=20% T=20/52 (0.3846)", () => {
    // Hull quotes price $2.40 (for 100,000 options, $240,000), delta 0.522, gamma 0.066,
    // theta −4.31 per year (−0.0118 per calendar day), vega 12.1 per unit σ, rho 8.91 per unit r.
    const g = bsmGreeks(input("call", 49, 50, 0.3846, 0.05, 0, 0.2));
    expect(g.price).toBeCloseTo(2.4, 2);
    expect(g.delta).toBeCloseTo(0.522, 3);
    expect(g.gamma).toBeCloseTo(0.066, 3);
    expect(g.theta * 365).toBeCloseTo(-4.31, 2);
    expect(g.theta).toBeCloseTo(-0.0118, 4);
    expect(g.vega * 100).toBeCloseTo(12.1, 1);
    expect(g.rho * 100).toBeCloseTo(8.91, 2);
  });

  it("Hull, Example 17.1 (index option with dividend yield): S=930 K=900 r=8% q=3% σ=20% T=2/12 → c=51.83", () => {
    expect(bsmPrice(input("call", 930, 900, 2 / 12, 0.08, 0.03, 0.2))).toBeCloseTo(51.83, 2);
  });

  // Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), generalized BSM with cost of
  // carry b = r − q. Values as printed (4 decimals).
  it("Haug: generalized BSM put S=75 X=70 T=0.5 r=10% b=5% σ=35% → 4.0870", () => {
    expect(bsmPrice(input("put", 75, 70, 0.5, 0.1, 0.05, 0.35))).toBeCloseTo(4.087, 4);
  });
  it("Haug: Black-Scholes (1973) call S=60 X=65 T=0.25 r=8% σ=30% → 2.1334", () => {
    expect(bsmPrice(input("call", 60, 65, 0.25, 0.08, 0, 0.3))).toBeCloseTo(2.1334, 4);
  });
  it("Haug: Merton (1973) index put S=100 X=95 T=0.5 r=10% q=5% σ=20% → 2.4648", () => {
    expect(bsmPrice(input("put", 100, 95, 0.5, 0.1, 0.05, 0.2))).toBeCloseTo(2.4648, 4);
  });
  it("Haug: Black (1976) futures option F=19 X=19 T=0.75 r=10% σ=28% (b=0) → c = p = 1.7011", () => {
    expect(bsmPrice(input("call", 19, 19, 0.75, 0.1, 0.1, 0.28))).toBeCloseTo(1.7011, 4);
    expect(bsmPrice(input("put", 19, 19, 0.75, 0.1, 0.1, 0.28))).toBeCloseTo(1.7011, 4);
  });
  it("Haug: Garman-Kohlhagen currency call S=1.56 X=1.60 T=0.5 r=6% rf=8% σ=12% → 0.0291", () => {
    expect(bsmPrice(input("call", 1.56, 1.6, 0.5, 0.06, 0.08, 0.12))).toBeCloseTo(0.0291, 4);
  });
  it("Haug: delta of a futures option S=105 X=100 T=0.5 r=10% b=0 σ=36% → call 0.5946, put −0.3566", () => {
    expect(bsmGreeks(input("call", 105, 100, 0.5, 0.1, 0.1, 0.36)).delta).toBeCloseTo(0.5946, 4);
    expect(bsmGreeks(input("put", 105, 100, 0.5, 0.1, 0.1, 0.36)).delta).toBeCloseTo(-0.3566, 4);
  });
  it("Haug: gamma S=55 X=60 T=0.75 r=10% b=10% σ=30% → 0.0278", () => {
    expect(bsmGreeks(input("call", 55, 60, 0.75, 0.1, 0, 0.3)).gamma).toBeCloseTo(0.0278, 4);
  });
  it("Haug: theta of an index put S=430 X=405 T=0.0833 r=7% b=2% σ=20% → −31.1924 per year", () => {
    expect(bsmGreeks(input("put", 430, 405, 0.0833, 0.07, 0.05, 0.2)).theta * 365).toBeCloseTo(-31.1924, 4);
  });
  it("Haug: rho of a call S=72 X=75 T=1 r=9% b=9% σ=19% → 38.7325", () => {
    expect(bsmGreeks(input("call", 72, 75, 1, 0.09, 0, 0.19)).rho * 100).toBeCloseTo(38.7325, 4);
  });
});

// [right, S, K, T, r, q, σ, price, delta, gamma, theta/day, vega/pt, rho/pt] from mpmath at 50
// digits, greeks by mpmath's numerical differentiation (src/testdata/reference.py).
const MPMATH: readonly (readonly [OptionRight, ...number[]])[] = [
  ["call", 100, 100, 1, 0.05, 0.02, 0.25, 11.123761928058132, 0.5849549112578831, 0.015179235690178282, -0.016279966549456043, 0.379480892254457, 0.47371729197730184],
  ["put", 100, 100, 1, 0.05, 0.02, 0.25, 8.226837047454003, -0.3952437620488722, 0.015179235690178282, -0.00862037812235999, 0.379480892254457, -0.4775121325234122],
  ["call", 500, 620, 0.0273972602739726, 0.045, 0.013, 0.6, 0.3044651444209352, 0.017530175000406947, 0.0008715530848813426, -0.10818265941963831, 0.035817250063616815, 0.002317978727611654],
  ["put", 500, 620, 0.0273972602739726, 0.045, 0.013, 0.6, 119.71860306681957, -0.982113724035036, 0.0008715530848813426, -0.04964036190984372, 0.035817250063616815, -0.1673357438587226],
  ["call", 500, 300, 2, 0.045, 0.013, 0.3, 219.1649624022577, 0.9172816402804181, 0.0005367886821170056, -0.029734124959455915, 0.8051830231755085, 4.789517154759028],
  ["put", 500, 300, 2, 0.045, 0.013, 0.3, 6.17677317925148, -0.05705344932833116, 0.0005367886821170056, -0.013282363538347119, 0.8051830231755085, -0.6940699568683412],
  ["put", 42, 40, 0.5, 0.1, 0, 0.2, 0.8085993729000935, -0.22086870905733105, 0.04996267040591185, -0.0020662314975062207, 0.08813415059602851, -0.05042542576653999],
  ["call", 1.56, 1.6, 0.5, 0.06, 0.08, 0.12, 0.02909925314943968, 0.3403859092321428, 2.700266083546168, -9.574753626739735e-5, 0.003942820524550772, 0.002509513826263515],
  ["call", 250, 200, 0.25, -0.005, 0.03, 1.5, 92.00611666017825, 0.7400768869959209, 0.0016975248288674594, -0.31052485575843786, 0.39785738176581076, 0.23253276272200496],
  ["put", 250, 200, 0.25, -0.005, 0.03, 1.5, 44.12425927051816, -0.2524511678232175, 0.0016975248288674594, -0.3336624206699972, 0.39785738176581076, -0.26809262806580636],
];

describe("against 50-digit mpmath", () => {
  it("prices to 1e-13 and greeks to 1e-11 relative", () => {
    for (const [right, S, K, T, r, q, vol, price, delta, gamma, theta, vega, rho] of MPMATH) {
      const g = bsmGreeks(input(right, S!, K!, T!, r!, q!, vol!));
      const rel = (got: number, want: number | undefined) => Math.abs(got / want! - 1);
      const where = `${right} S=${S} K=${K} T=${T}`;
      expect(rel(g.price, price), where).toBeLessThan(1e-13);
      expect(rel(g.delta, delta), where).toBeLessThan(1e-11);
      expect(rel(g.gamma, gamma), where).toBeLessThan(1e-11);
      expect(rel(g.theta, theta), where).toBeLessThan(1e-11);
      expect(rel(g.vega, vega), where).toBeLessThan(1e-11);
      expect(rel(g.rho, rho), where).toBeLessThan(1e-11);
    }
  });
});

const GRID: BsmInput[] = [];
for (const right of ["call", "put"] as const) {
  for (const moneyness of [0.6, 0.85, 0.97, 1, 1.03, 1.2, 1.6]) {
    for (const time of [1 / 365, 7 / 365, 30 / 365, 0.5, 2]) {
      for (const vol of [0.08, 0.3, 1.2]) {
        for (const [rate, dividendYield] of [[0.045, 0.013], [0, 0], [-0.01, 0.04]] as const) {
          GRID.push(input(right, 100, 100 * moneyness, time, rate, dividendYield, vol));
        }
      }
    }
  }
}

describe("identities over a grid", () => {
  it("put-call parity with dividend yield: C − P = S·e^{−qT} − K·e^{−rT}", () => {
    for (const x of GRID.filter((g) => g.right === "call")) {
      const call = bsmPrice(x);
      const put = bsmPrice({ ...x, right: "put" });
      const forward = x.spot * Math.exp(-x.dividendYield * x.time) - x.strike * Math.exp(-x.rate * x.time);
      expect(Math.abs(call - put - forward)).toBeLessThan(1e-13 * (x.spot + x.strike));
    }
  });

  it("greeks equal central finite differences of the price", () => {
    for (const x of GRID) {
      const g = bsmGreeks(x);
      const p = (over: Partial<BsmInput>) => bsmPrice({ ...x, ...over });
      const hS = 1e-4 * x.spot * x.vol * Math.sqrt(x.time);
      const where = JSON.stringify(x);
            const fdDelta = (p({ spot: x.spot + hS }) - p({ spot: x.spot - hS })) / (2 * hS);
      expect(Math.abs(g.delta - fdDelta), where).toBeLessThan(1e-7 + (4 * Number.EPSILON * (x.spot + x.strike)) / hS);
      // Step a small fraction of one standard deviation of ln S: small truncation, bounded rounding.
      const hG = 0.002 * x.spot * x.vol * Math.sqrt(x.time);
      const fdGamma = (p({ spot: x.spot + hG }) - 2 * g.price + p({ spot: x.spot - hG })) / (hG * hG);
      // Rounding of the three prices (~ε·(S + K) each) divided by h² bounds the difference's noise.
      const noise = (8 * Number.EPSILON * (x.spot + x.strike)) / (hG * hG);
      expect(Math.abs(g.gamma - fdGamma), where).toBeLessThan(1e-4 * Math.abs(g.gamma) + noise);
      const hT = 1e-4 * x.time;
      const fdTheta = -(p({ time: x.time + hT }) - p({ time: x.time - hT })) / (2 * hT) / 365;
      expect(Math.abs(g.theta - fdTheta), where).toBeLessThan(1e-6 * Math.abs(g.theta) + 1e-9);
      const hV = 1e-5;
      const fdVega = (p({ vol: x.vol + hV }) - p({ vol: x.vol - hV })) / (2 * hV) / 100;
      expect(Math.abs(g.vega - fdVega), where).toBeLessThan(1e-6 * Math.abs(g.vega) + 1e-9);
      const hR = 1e-5;
      const fdRho = (p({ rate: x.rate + hR }) - p({ rate: x.rate - hR })) / (2 * hR) / 100;
      expect(Math.abs(g.rho - fdRho), where).toBeLessThan(1e-6 * Math.abs(g.rho) + 1e-9);
    }
  });

  it("call and put share gamma and vega; delta_call − delta_put = e^{−qT}", () => {
    for (const x of GRID.filter((g) => g.right === "call")) {
      const c = bsmGreeks(x);
      const p = bsmGreeks({ ...x, right: "put" });
      expect(Math.abs(c.gamma - p.gamma)).toBeLessThan(1e-12 * c.gamma + 1e-300);
      expect(Math.abs(c.vega - p.vega)).toBeLessThan(1e-12 * c.vega + 1e-300);
      expect(Math.abs(c.delta - p.delta - Math.exp(-x.dividendYield * x.time))).toBeLessThan(1e-15);
    }
  });
});

describe("deep in the money keeps its digits", () => {
  it("a deep ITM put's delta is −e^{−qT}·N(−d1) without cancellation", () => {
    const g = bsmGreeks(input("put", 50, 100, 0.1, 0.01, 0, 0.2));
    // N(−d1) is within 1e-30 of 1 here; the point is that delta is exactly −e^{−qT} to the last digit.
    expect(g.delta).toBe(-1);
    const otm = bsmGreeks(input("call", 50, 100, 0.1, 0.01, 0, 0.2));
    expect(otm.delta).toBeGreaterThan(0);
    expect(otm.delta).toBeLessThan(1e-25);
  });
});

describe("limits and input handling", () => {
  it("σ = 0 or T = 0 gives the deterministic value", () => {
    const itm = bsmGreeks(input("call", 110, 100, 0.5, 0.05, 0.01, 0));
    expect(itm.price).toBeCloseTo(110 * Math.exp(-0.005) - 100 * Math.exp(-0.025), 12);
    expect(itm.delta).toBeCloseTo(Math.exp(-0.005), 15);
    expect(itm.gamma).toBe(0);
    expect(itm.vega).toBe(0);
    const expired = bsmGreeks(input("put", 90, 100, 0, 0.05, 0, 0.3));
    expect(expired.price).toBe(10);
    expect(expired.delta).toBe(-1);
    expect(bsmPrice(input("call", 90, 100, 0, 0.05, 0, 0.3))).toBe(0);
  });

  it("scalar API throws on invalid input", () => {
    expect(() => bsmPrice(input("call", -1, 100, 1, 0, 0, 0.2))).toThrow(RangeError);
    expect(() => bsmPrice(input("call", 100, 0, 1, 0, 0, 0.2))).toThrow(RangeError);
    expect(() => bsmPrice(input("call", 100, 100, -1, 0, 0, 0.2))).toThrow(RangeError);
    expect(() => bsmPrice(input("call", 100, 100, 1, NaN, 0, 0.2))).toThrow(RangeError);
    expect(() => bsmPrice(input("call", 100, 100, 1, 0, 0, -0.2))).toThrow(RangeError);
    expect(() => bsmPrice({ ...input("call", 100, 100, 1, 0, 0, 0.2), right: "straddle" as OptionRight })).toThrow(RangeError);
  });

  it("batch API agrees with the scalar API and marks invalid elements with NaN", () => {
    const n = GRID.length + 2;
    const batch = createOptionBatch(n);
    const vol = new Float64Array(n);
    GRID.forEach((x, i) => {
      batch.right[i] = x.right === "call" ? RightCode.Call : RightCode.Put;
      batch.spot[i] = x.spot;
      batch.strike[i] = x.strike;
      batch.time[i] = x.time;
      batch.rate[i] = x.rate;
      batch.dividendYield[i] = x.dividendYield;
      vol[i] = x.vol;
    });
    // Two invalid elements: NaN vol, and an unknown right code.
    batch.right[n - 2] = RightCode.Call;
    batch.spot[n - 2] = 100;
    batch.strike[n - 2] = 100;
    batch.time[n - 2] = 1;
    vol[n - 2] = NaN;
    batch.right[n - 1] = 7;
    batch.spot[n - 1] = 100;
    batch.strike[n - 1] = 100;
    batch.time[n - 1] = 1;
    vol[n - 1] = 0.2;
    const out = createGreeksBatch(n);
    bsmGreeksBatch(batch, vol, out);
    GRID.forEach((x, i) => {
      const g = bsmGreeks(x);
      expect(out.price[i]).toBe(g.price);
      expect(out.delta[i]).toBe(g.delta);
      expect(out.gamma[i]).toBe(g.gamma);
      expect(out.theta[i]).toBe(g.theta);
      expect(out.vega[i]).toBe(g.vega);
      expect(out.rho[i]).toBe(g.rho);
    });
    for (const i of [n - 2, n - 1]) {
      for (const key of ["price", "delta", "gamma", "theta", "vega", "rho"] as const) expect(out[key][i]).toBeNaN();
    }
  });

  it("batch API refuses arrays of different lengths", () => {
    const batch = { ...createOptionBatch(3), strike: new Float64Array(2) };
    expect(() => { bsmGreeksBatch(batch, new Float64Array(3), createGreeksBatch(3)); }).toThrow(RangeError);
    expect(() => { bsmGreeksBatch(createOptionBatch(3), new Float64Array(2), createGreeksBatch(3)); }).toThrow(RangeError);
    expect(() => { bsmGreeksBatch(createOptionBatch(3), new Float64Array(3), createGreeksBatch(2)); }).toThrow(RangeError);
  });
});
