import { describe, expect, it } from "vitest";
import { deriveSeed, hashString, hashUnit, streamFor, Xoshiro128 } from "./rng.js";

/** Straight port of Blackman & Vigna's xoshiro128starstar.c on uint32 words (the reference). */
function referenceXoshiro(state: Uint32Array): () => number {
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(state[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (state[1]! << 9) >>> 0;
    state[2]! ^= state[0]!;
    state[3]! ^= state[1]!;
    state[1]! ^= state[2]!;
    state[0]! ^= state[3]!;
    state[2]! ^= t;
    state[3] = rotl(state[3]!, 11);
    return result;
  };
}

describe("Xoshiro128 (xoshiro128**)", () => {
  it("matches the algorithm's first outputs worked by hand from state (1, 2, 3, 4)", () => {
    // out = rotl(s1·5, 7)·9: s1 = 2 → 11520; after one step s1 = 0 → 0; after two s1 = 1029 → 5927040.
    const rng = Xoshiro128.fromState(1, 2, 3, 4);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it("matches the reference port for a long run from arbitrary states", () => {
    for (const words of [[1, 2, 3, 4], [0xdeadbeef, 0x01234567, 0x89abcdef, 0xfedcba98]] as const) {
      const rng = Xoshiro128.fromState(words[0], words[1], words[2], words[3]);
      const ref = referenceXoshiro(Uint32Array.from(words));
      for (let i = 0; i < 10_000; i++) expect(rng.nextUint32()).toBe(ref());
    }
  });

  it("is reproducible from a seed and differs between seeds", () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const c = new Xoshiro128(43);
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it("draws uniforms in (0, 1) and standard normals with the right moments", () => {
    const rng = new Xoshiro128(7);
    let sum = 0;
    let sumSq = 0;
    let sumFourth = 0;
    let outside = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u > 0 && u < 1)) outside++;
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      sumFourth += z ** 4;
    }
    expect(outside).toBe(0);
    // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032, kurtosis ≈ √(96/n) ≈ 0.022.
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(sumFourth / n - 3)).toBeLessThan(0.1);
  });

  it("int(n) covers [0, n) evenly", () => {
    const rng = new Xoshiro128(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});

describe("seed derivation", () => {
  it("separates streams by every key, including large integers", () => {
    const seeds = new Set<number>();
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) seeds.add(deriveSeed(a, b));
    expect(seeds.size).toBe(2500);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    expect(deriveSeed(1_773_154_800_000)).not.toBe(deriveSeed(1_773_154_800_000 + 2 ** 32));
    expect(hashString("SPY")).not.toBe(hashString("SPX"));
  });

  it("hashUnit is a pure function in [0, 1) and streams are reproducible", () => {
    expect(hashUnit(1, 2, 3)).toBe(hashUnit(1, 2, 3));
    const u = hashUnit(9, 9);
    expect(u >= 0 && u < 1).toBe(true);
    expect(streamFor(5, 6).normal()).toBe(streamFor(5, 6).normal());
  });
});
