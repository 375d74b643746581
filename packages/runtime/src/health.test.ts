import { describe, expect, it } from "vitest";
import { Readiness } from "./health.js";

describe("Readiness", () => {
  it("is ready with no checks", async () => {
    expect(await new Readiness().evaluate()).toEqual({ ok: true, checks: [] });
  });

  it("reports each check, sync and async, passing and failing", async () => {
    const readiness = new Readiness()
      .add("sync-ok", () => true)
      .add("void-ok", () => undefined)
      .add("async-ok", () => Promise.resolve({ ok: true, message: "synced 12 strategies" }))
      .add("false", () => false)
      .add("throws", () => {
        throw new Error("TWS not connected");
      })
      .add("rejects", () => Promise.reject(new Error("cache not synced")));
    const report = await readiness.evaluate();
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok, c.message])).toEqual([
      ["sync-ok", true, "ok"],
      ["void-ok", true, "ok"],
      ["async-ok", true, "synced 12 strategies"],
      ["false", false, "not ready"],
      ["throws", false, "TWS not connected"],
      ["rejects", false, "cache not synced"],
    ]);
  });

  it("fails a check that takes longer than its timeout without waiting for it", async () => {
    const readiness = new Readiness().add("slow", () => new Promise<void>(() => undefined), { timeoutMs: 50 });
    const started = performance.now();
    const report = await readiness.evaluate();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(report.checks[0]).toMatchObject({ name: "slow", ok: false, message: "timed out after 50 ms" });
  });

  it("refuses duplicate names and reports shutdown as not ready", async () => {
    const readiness = new Readiness().add("a", () => true);
    expect(() => readiness.add("a", () => true)).toThrow(/already exists/);
    readiness.setShuttingDown();
    const report = await readiness.evaluate();
    expect(report.ok).toBe(false);
    expect(report.checks).toContainEqual(expect.objectContaining({ name: "shutdown", ok: false }));
  });
});
