import { describe, expect, it } from "vitest";
import { MessageRateLimiter } from "./message-rate.js";

const limiter = (disconnectAfterViolations = 0): MessageRateLimiter =>
  new MessageRateLimiter({ maxPerSecond: 50, disconnectAfterViolations });

/** Sends `count` messages at `atMs` and returns the verdicts. */
function burst(l: MessageRateLimiter, count: number, atMs: number): string[] {
  return Array.from({ length: count }, () => l.onMessage(atMs));
}

describe("MessageRateLimiter", () => {
  it("allows exactly 50 within a second and reports the 51st", () => {
    const l = limiter();
    const verdicts = Array.from({ length: 50 }, (_, i) => l.onMessage(i * 19)); // 0 … 931 ms
    expect(verdicts.every((v) => v === "ok")).toBe(true);
    expect(l.onMessage(999)).toBe("violation");
    expect(l.peakPerSecond).toBe(51);
  });

  it("lets a message exactly one second later replace the oldest", () => {
    const l = limiter();
    burst(l, 50, 0);
    expect(l.onMessage(1_000)).toBe("ok"); // window (0, 1000] no longer holds t=0
    expect(l.peakPerSecond).toBe(50);
    expect(l.onMessage(1_000)).toBe("ok");
    expect(l.inWindow).toBe(2);
  });

  it("sees a burst straddling a second boundary (sliding window)", () => {
    const l = limiter();
    expect(burst(l, 26, 600).every((v) => v === "ok")).toBe(true);
    const second = burst(l, 25, 1_200);
    expect(second.slice(0, 24).every((v) => v === "ok")).toBe(true);
    expect(second[24]).toBe("violation");
    expect(l.peakPerSecond).toBe(51);
  });

  it("reports one violation per burst, not one per message past the limit", () => {
    const l = limiter();
    const verdicts = burst(l, 80, 100);
    expect(verdicts.filter((v) => v === "violation")).toHaveLength(1);
    expect(verdicts.indexOf("violation")).toBe(50);
    expect(l.violations).toBe(1);
    expect(l.peakPerSecond).toBe(80);
  });

  it("reports a sustained flood once per second", () => {
    const l = limiter();
    const verdicts: string[] = [];
    for (let t = 0; t < 3_000; t += 10) verdicts.push(...burst(l, 1, t)); // 100 msgs/s for 3 s
    // Over the limit at t=500 (51st), again at 1500 and 2500: one per second of flooding.
    expect(verdicts.filter((v) => v === "violation")).toHaveLength(3);
    expect(l.peakPerSecond).toBe(100);
  });

  it("tracks the exact peak across windows", () => {
    const l = limiter();
    burst(l, 10, 0);
    burst(l, 20, 500);
    burst(l, 15, 999); // window (-1, 999] holds 45
    burst(l, 7, 1_400); // window (400, 1400] holds 20 + 15 + 7 = 42
    expect(l.peakPerSecond).toBe(45);
    burst(l, 5, 1_499); // (499, 1499] holds 20 + 15 + 7 + 5 = 47
    expect(l.peakPerSecond).toBe(47);
    expect(l.inWindow).toBe(47);
  });

  it("disconnects on the N-th violation", () => {
    const l = limiter(2);
    expect(burst(l, 51, 0)[50]).toBe("violation");
    expect(burst(l, 51, 5_000)[50]).toBe("disconnect");
    expect(l.violations).toBe(2);
  });

  it("never disconnects with disconnectAfterViolations 0", () => {
    const l = limiter(0);
    for (let second = 0; second < 10; second += 1) expect(burst(l, 51, second * 2_000)[50]).toBe("violation");
  });

  it("recovers after a quiet second", () => {
    const l = limiter();
    expect(burst(l, 60, 0)).toContain("violation");
    expect(burst(l, 50, 1_000).every((v) => v === "ok")).toBe(true);
    expect(l.inWindow).toBe(50);
  });

  it("treats a timestamp going backwards as the previous one", () => {
    const l = limiter();
    burst(l, 50, 1_000);
    expect(l.onMessage(10)).toBe("violation"); // counted at 1000, not dropped from the window
  });

  it("handles a long high-rate run with fractional timestamps", () => {
    const l = new MessageRateLimiter({ maxPerSecond: 50_000, disconnectAfterViolations: 0 });
    // 32,000 msgs/s for 5 s; 1/32 ms steps are exact in binary, so window edges are exact.
    for (let i = 0; i < 160_000; i += 1) l.onMessage(i / 32);
    expect(l.peakPerSecond).toBe(32_000);
    expect(l.violations).toBe(0);
  });

  it("refuses nonsense options", () => {
    expect(() => new MessageRateLimiter({ maxPerSecond: 0, disconnectAfterViolations: 0 })).toThrow(RangeError);
    expect(() => new MessageRateLimiter({ maxPerSecond: 50, disconnectAfterViolations: -1 })).toThrow(RangeError);
  });
});
