import { createLogger } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import { FaultInjector } from "./fault-injector.js";
import type { FaultRequest } from "./fault-request.js";
import { RecordingControl } from "./test-support.js";

const T0 = Date.parse("2026-03-02T15:00:00Z"); // a Monday, 10:00 New York
const MIN = 60_000;
const HOUR = 60 * MIN;

function setup(startMs = T0): { control: RecordingControl; injector: FaultInjector; at: (ms: number) => string[] } {
  const control = new RecordingControl(startMs);
  const injector = new FaultInjector(control, { logger: createLogger({ service: "test", level: "silent" }) });
  /** Moves the clock to `ms`, ticks, and returns what the injector did. */
  const at = (ms: number): string[] => {
    control.nowMs = ms;
    injector.tick(ms);
    return control.take();
  };
  return { control, injector, at };
}

describe("FaultInjector", () => {
  it("connectivityLost: state then 1100; after the duration state then 1101 (data lost)", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "connectivityLost", durationMs: 30_000, dataLost: true });
    expect(control.take()).toEqual(["connectivity down", "notice 1100"]);
    expect(injector.active()).toEqual([{ kind: "connectivityLost", untilMs: T0 + 30_000 }]);
    expect(at(T0 + 29_999)).toEqual([]);
    expect(at(T0 + 30_000)).toEqual(["connectivity up dataLost=true", "notice 1101"]);
    expect(injector.active()).toEqual([]);
    expect(at(T0 + 60_000)).toEqual([]);
  });

  it("connectivityLost without duration lasts until clear, which restores with 1102 by default", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "connectivityLost" });
    expect(at(T0 + 365 * 24 * HOUR)).toEqual(["connectivity down", "notice 1100"]);
    injector.clear();
    expect(control.take()).toEqual(["connectivity up dataLost=false", "notice 1102"]);
  });

  it("a second loss while lost sends no second 1100 and replaces the end time", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "connectivityLost", durationMs: 10_000 });
    control.take();
    injector.apply({ kind: "connectivityLost", durationMs: 60_000, dataLost: true });
    expect(control.take()).toEqual([]);
    expect(at(T0 + 10_000)).toEqual([]);
    expect(at(T0 + 60_000)).toEqual(["connectivity up dataLost=true", "notice 1101"]);
  });

  it("farm: broken for a while, then OK again", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "farm", farm: "historical", ok: false, durationMs: 5 * MIN });
    expect(control.take()).toEqual(["farm historical false"]);
    expect(injector.active()).toEqual([{ kind: "farm:historical", untilMs: T0 + 5 * MIN }]);
    expect(at(T0 + 5 * MIN)).toEqual(["farm historical true"]);
    expect(injector.active()).toEqual([]);
  });

  it("farm: OK for a while on a broken farm goes back to broken, which stays until cleared", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "farm", farm: "marketData", ok: false });
    injector.apply({ kind: "farm", farm: "marketData", ok: true, durationMs: MIN });
    expect(control.take()).toEqual(["farm marketData false", "farm marketData true"]);
    expect(at(T0 + MIN)).toEqual(["farm marketData false"]);
    expect(injector.active()).toEqual([{ kind: "farm:marketData" }]);
    injector.apply({ kind: "farm", farm: "marketData", ok: true });
    expect(control.take()).toEqual(["farm marketData true"]);
    expect(injector.active()).toEqual([]);
  });

  it("restartWindow now: disconnect everyone, refuse, then accept again", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "restartWindow", durationMs: 2 * MIN });
    expect(control.take()).toEqual(["disconnectAll", "accepting false"]);
    expect(at(T0 + 2 * MIN - 1)).toEqual([]);
    expect(at(T0 + 2 * MIN)).toEqual(["accepting true"]);
  });

  it("competingSession: 10197 once, nothing when it ends", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "competingSession", durationMs: MIN });
    injector.apply({ kind: "competingSession", durationMs: 2 * MIN });
    expect(control.take()).toEqual(["notice 10197"]);
    expect(injector.active()).toEqual([{ kind: "competingSession", untilMs: T0 + 2 * MIN }]);
    expect(at(T0 + 2 * MIN)).toEqual([]);
    expect(injector.active()).toEqual([]);
  });

  it("rejectOrders, slowResponses and dropResponses set the server's knobs and turn them off", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "rejectOrders", reason: "margin", count: 2 });
    injector.apply({ kind: "slowResponses", delayMs: 500, durationMs: MIN });
    injector.apply({ kind: "dropResponses", fraction: 0.1, durationMs: 2 * MIN });
    expect(control.take()).toEqual(['rejectNextOrders "margin" 2', "delay 500", "drop 0.1"]);
    expect(at(T0 + MIN)).toEqual(["delay 0"]);
    expect(at(T0 + 2 * MIN)).toEqual(["drop 0"]);
    injector.apply({ kind: "slowResponses", delayMs: 0 });
    expect(control.take()).toEqual(["delay 0"]);
    expect(injector.active()).toEqual([]);
  });

  it("runs everything due inside one clock jump in time order", () => {
    const { control, injector, at } = setup();
    injector.schedule({ kind: "slowResponses", delayMs: 100, durationMs: 20_000 }, T0 + 10_000);
    injector.schedule({ kind: "connectivityLost", durationMs: 5_000 }, T0 + 40_000);
    expect(injector.scheduled().map((s) => [s.kind, s.atMs])).toEqual([
      ["slowResponses", T0 + 10_000],
      ["connectivityLost", T0 + 40_000],
    ]);
    expect(control.take()).toEqual([]);
    expect(at(T0 + 60_000)).toEqual([
      "delay 100", // at +10 s
      "delay 0", // at +30 s
      "connectivity down", // at +40 s
      "notice 1100",
      "connectivity up dataLost=false", // at +45 s
      "notice 1102",
    ]);
    expect(injector.scheduled()).toEqual([]);
  });

  it("ends an old fault before applying a new one due at the same instant", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "slowResponses", delayMs: 100, durationMs: 10_000 });
    injector.schedule({ kind: "slowResponses", delayMs: 900 }, T0 + 10_000);
    control.take();
    expect(at(T0 + 10_000)).toEqual(["delay 0", "delay 900"]);
    expect(injector.active()).toEqual([{ kind: "slowResponses" }]);
  });

  it("applies a fault scheduled in the past at once", () => {
    const { control, injector } = setup();
    injector.schedule({ kind: "competingSession" }, T0 - 1);
    expect(control.take()).toEqual(["notice 10197"]);
  });

  it("daily restart at 23:45 New York fires once per day across the 2026-11-01 DST change", () => {
    const start = Date.parse("2026-10-30T16:00:00Z"); // Fri 12:00 EDT
    const { control, injector } = setup(start);
    const daily: FaultRequest = {
      kind: "restartWindow",
      durationMs: 10 * MIN,
      daily: { at: "23:45", timeZone: "America/New_York" },
    };
    injector.apply(daily);
    expect(control.take()).toEqual([]);
    expect(injector.scheduled()).toEqual([{ kind: "restartWindow", atMs: Date.parse("2026-10-31T03:45:00Z"), fault: daily }]);

    // Tick every simulated minute for four days, recording when each call happened.
    const events: string[] = [];
    for (let t = start; t <= start + 4 * 24 * HOUR; t += MIN) {
      control.nowMs = t;
      injector.tick(t);
      for (const call of control.take()) events.push(`${new Date(t).toISOString()} ${call}`);
    }
    expect(events).toEqual([
      // Fri 23:45 EDT (UTC−4)
      "2026-10-31T03:45:00.000Z disconnectAll",
      "2026-10-31T03:45:00.000Z accepting false",
      "2026-10-31T03:55:00.000Z accepting true",
      // Sat 23:45 EDT
      "2026-11-01T03:45:00.000Z disconnectAll",
      "2026-11-01T03:45:00.000Z accepting false",
      "2026-11-01T03:55:00.000Z accepting true",
      // Sun 23:45 EST (UTC−5): clocks went back at 02:00 that morning; 25 hours later
      "2026-11-02T04:45:00.000Z disconnectAll",
      "2026-11-02T04:45:00.000Z accepting false",
      "2026-11-02T04:55:00.000Z accepting true",
      // Mon 23:45 EST
      "2026-11-03T04:45:00.000Z disconnectAll",
      "2026-11-03T04:45:00.000Z accepting false",
      "2026-11-03T04:55:00.000Z accepting true",
    ]);
  });

  it("daily restart across the spring change (2026-03-08) is 23 hours apart", () => {
    const start = Date.parse("2026-03-07T12:00:00Z");
    const { control, injector } = setup(start);
    injector.apply({ kind: "restartWindow", durationMs: MIN, daily: { at: "23:45" } }); // New York by default
    const opened: string[] = [];
    for (let t = start; t <= start + 2 * 24 * HOUR; t += MIN) {
      control.nowMs = t;
      injector.tick(t);
      if (control.take().includes("disconnectAll")) opened.push(new Date(t).toISOString());
    }
    expect(opened).toEqual(["2026-03-08T04:45:00.000Z", "2026-03-09T03:45:00.000Z"]);
  });

  it("daily restart armed inside today's window opens at once for the rest of it", () => {
    const now = Date.parse("2026-11-05T04:50:00Z"); // 23:50 EST, window 23:45–23:55
    const { control, injector, at } = setup(now);
    injector.apply({ kind: "restartWindow", durationMs: 10 * MIN, daily: { at: "23:45" } });
    expect(control.take()).toEqual(["disconnectAll", "accepting false"]);
    expect(injector.active()).toEqual([{ kind: "restartWindow", untilMs: Date.parse("2026-11-05T04:55:00Z") }]);
    expect(at(Date.parse("2026-11-05T04:55:00Z"))).toEqual(["accepting true"]);
    expect(injector.scheduled()[0]?.atMs).toBe(Date.parse("2026-11-06T04:45:00Z"));
  });

  it("a clock jump over several days runs one restart window, not one per day", () => {
    const { control, injector, at } = setup(Date.parse("2026-11-10T17:00:00Z"));
    injector.apply({ kind: "restartWindow", durationMs: 10 * MIN, daily: { at: "23:45" } });
    expect(at(Date.parse("2026-11-15T17:00:00Z"))).toEqual(["disconnectAll", "accepting false", "accepting true"]);
    expect(injector.scheduled()[0]?.atMs).toBe(Date.parse("2026-11-16T04:45:00Z"));
    expect(control.take()).toEqual([]);
  });

  it("clear() lifts every fault, cancels schedules and restores the baseline", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "connectivityLost", dataLost: true });
    injector.apply({ kind: "farm", farm: "secDef", ok: false });
    injector.apply({ kind: "farm", farm: "marketData", ok: false, durationMs: HOUR });
    injector.apply({ kind: "restartWindow", durationMs: HOUR });
    injector.apply({ kind: "competingSession" });
    injector.apply({ kind: "rejectOrders", reason: "x", count: 5 });
    injector.apply({ kind: "slowResponses", delayMs: 300 });
    injector.apply({ kind: "dropResponses", fraction: 0.5 });
    injector.apply({ kind: "restartWindow", durationMs: MIN, daily: { at: "23:45" } });
    injector.schedule({ kind: "competingSession" }, T0 + MIN);
    control.take();

    injector.clear();
    expect(control.take().sort()).toEqual(
      [
        "connectivity up dataLost=true",
        "notice 1101",
        "farm secDef true",
        "farm marketData true",
        "accepting true",
        'rejectNextOrders "" 0',
        "delay 0",
        "drop 0",
      ].sort(),
    );
    expect(injector.active()).toEqual([]);
    expect(injector.scheduled()).toEqual([]);
    expect(at(T0 + 2 * 24 * HOUR)).toEqual([]);
    injector.clear();
    expect(control.take()).toEqual([]);
  });

  it("a failing control call in tick is logged and the other events still run", () => {
    const { control, injector, at } = setup();
    injector.apply({ kind: "slowResponses", delayMs: 100, durationMs: 1_000 });
    injector.apply({ kind: "dropResponses", fraction: 0.2, durationMs: 2_000 });
    control.take();
    control.setResponseDelayMs = () => {
      throw new Error("socket gone");
    };
    expect(at(T0 + 5_000)).toEqual(["drop 0"]);
    expect(injector.active()).toEqual([]);
  });
});
