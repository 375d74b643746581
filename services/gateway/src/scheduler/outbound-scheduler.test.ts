import { createMetrics, DomainError } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import { OutboundScheduler, QueueFullError } from "./outbound-scheduler.js";
import type { SchedulerOptions } from "./outbound-scheduler.js";
import type { Priority } from "./priority.js";
import { createSchedulerMetrics } from "./scheduler-metrics.js";
import { FakeClock } from "./testing/fake-clock.js";

function setup(options: SchedulerOptions = {}) {
  const clock = new FakeClock();
  const sends: number[] = [];
  const scheduler = new OutboundScheduler({ clock }, options);
  const send = (tag?: string, log?: string[]) => () => {
    sends.push(clock.now());
    if (tag !== undefined) log?.push(tag);
    return tag;
  };
  return { clock, sends, scheduler, send };
}

/** The largest number of sends in any window (t − 1000, t]. */
function maxInWindow(times: readonly number[], windowMs = 1000): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] ?? 0) <= (times[end] ?? 0) - windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe("OutboundScheduler pacing", () => {
  it("sustains at least 44 messages/s under a backlog and never exceeds 50 in a sliding second", () => {
    const { clock, sends, scheduler, send } = setup();
    for (let i = 0; i < 2000; i++) void scheduler.submit("bulk", send());
    clock.advance(60_000);
    expect(sends).toHaveLength(2000);
    const first = sends[0]!;
    const last = sends[sends.length - 1]!;
    const rate = (sends.length - 1) / ((last - first) / 1000);
    expect(rate).toBeGreaterThanOrEqual(44);
    expect(rate).toBeLessThanOrEqual(46);
    expect(maxInWindow(sends)).toBeLessThanOrEqual(50);
  });

  it("keeps every sliding second at or below 50 over 10,000 sends with random arrivals and costs", () => {
    const { clock, sends, scheduler } = setup();
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const priorities: Priority[] = ["order", "cancel", "control", "marketData", "historical", "bulk"];
    let submitted = 0;
    const messageTimes: number[] = [];
    while (submitted < 10_000) {
      // Bursts and lulls: sometimes 0, sometimes up to 120 calls in one instant.
      const burst = random() < 0.3 ? Math.floor(random() * 120) : Math.floor(random() * 5);
      for (let i = 0; i < burst && submitted < 10_000; i++, submitted++) {
        const cost = random() < 0.1 ? 1 + Math.floor(random() * 4) : 1;
        const priority = priorities[Math.floor(random() * priorities.length)]!;
        void scheduler.submit(
          priority,
          () => {
            for (let c = 0; c < cost; c++) messageTimes.push(clock.now());
          },
          { cost },
        );
      }
      clock.advance(Math.floor(random() * 400));
    }
    clock.advance(600_000);
    expect(scheduler.snapshot().queued).toEqual({ order: 0, cancel: 0, control: 0, marketData: 0, historical: 0, bulk: 0 });
    expect(messageTimes.length).toBeGreaterThanOrEqual(10_000);
    expect(maxInWindow(messageTimes)).toBeLessThanOrEqual(50);
    expect(sends).toHaveLength(0);
  });

  it("reports the messages sent in the last sliding second, cost included", () => {
    const { clock, scheduler, send } = setup();
    expect(scheduler.snapshot().sentLastSecond).toBe(0);
    void scheduler.submit("control", send());
    void scheduler.submit("control", send(), { cost: 2 });
    expect(scheduler.snapshot().sentLastSecond).toBe(3);
    clock.advance(600);
    void scheduler.submit("control", send());
    expect(scheduler.snapshot().sentLastSecond).toBe(4);
    clock.advance(400); // the first three are exactly 1000 ms old: out of (now − 1000, now]
    expect(scheduler.snapshot().sentLastSecond).toBe(1);
    clock.advance(600);
    expect(scheduler.snapshot().sentLastSecond).toBe(0);
  });

  it("reports when the longest-waiting queued call was submitted, across priorities", () => {
    const { clock, scheduler, send } = setup();
    scheduler.pause();
    expect(scheduler.snapshot().oldestQueuedAt).toBeUndefined();
    const first = clock.now();
    void scheduler.submit("bulk", send()).catch(() => undefined);
    clock.advance(250);
    void scheduler.submit("order", send()).catch(() => undefined);
    // The order call jumps the queue when sending resumes, but the bulk one has waited longest.
    expect(scheduler.snapshot().oldestQueuedAt).toBe(first);
    scheduler.resume();
    clock.advance(5_000);
    expect(scheduler.snapshot().oldestQueuedAt).toBeUndefined();
  });

  it("lets an idle scheduler send a small burst at once", () => {
    const { sends, scheduler, send } = setup();
    for (let i = 0; i < 5; i++) void scheduler.submit("order", send());
    expect(sends).toHaveLength(5);
  });
});

describe("OutboundScheduler order", () => {
  it("sends by priority, FIFO within one", async () => {
    const { clock, scheduler } = setup({ burst: 1 });
    const log: string[] = [];
    const tag = (t: string) => () => log.push(t);
    // The first call takes the one token; the rest queue and are sorted.
    const all = [
      scheduler.submit("bulk", tag("bulk-0")),
      scheduler.submit("bulk", tag("bulk-1")),
      scheduler.submit("historical", tag("hist-0")),
      scheduler.submit("marketData", tag("md-0")),
      scheduler.submit("control", tag("control-0")),
      scheduler.submit("cancel", tag("cancel-0")),
      scheduler.submit("order", tag("order-0")),
      scheduler.submit("marketData", tag("md-1")),
      scheduler.submit("order", tag("order-1")),
    ];
    clock.advance(1_000);
    await Promise.all(all);
    expect(log).toEqual(["bulk-0", "order-0", "order-1", "control-0", "cancel-0", "md-0", "md-1", "hist-0", "bulk-1"]);
  });

  it("resolves with what send returns and rejects with what it throws", async () => {
    const { scheduler } = setup();
    await expect(scheduler.submit("control", () => 42)).resolves.toBe(42);
    await expect(
      scheduler.submit("control", () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("refuses costs outside 1..50", async () => {
    const { scheduler } = setup();
    await expect(scheduler.submit("bulk", () => 1, { cost: 0 })).rejects.toThrow(RangeError);
    await expect(scheduler.submit("bulk", () => 1, { cost: 51 })).rejects.toThrow(RangeError);
  });
});

describe("OutboundScheduler back-pressure and abort", () => {
  it("refuses at once with resource_exhausted and a retry estimate when a priority is full", async () => {
    const { clock, scheduler, send } = setup({ maxQueuedPerPriority: 90, burst: 0 });
    for (let i = 0; i < 91; i++) void scheduler.submit("bulk", send());
    // One went out at once (burst floor of one token); 90 wait.
    const refused = scheduler.submit("bulk", send());
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe("resource_exhausted");
    // 90 calls at 45/s ≈ 2000 ms.
    expect((error as QueueFullError).retryAfterMs).toBe(2000);
    expect((error as Error).message).toContain("retry in 2000 ms");
    // Other priorities are not blocked by a full bulk queue.
    const order = scheduler.submit("order", () => "ok");
    clock.advance(25);
    await expect(order).resolves.toBe("ok");
  });

  it("removes an aborted call from the queue and rejects it with the signal's reason", async () => {
    const { clock, scheduler, sends, send } = setup({ burst: 1 });
    void scheduler.submit("bulk", send());
    const controller = new AbortController();
    const aborted = scheduler.submit("bulk", send(), { signal: controller.signal });
    const kept = scheduler.submit("bulk", send("kept"));
    expect(scheduler.snapshot().queued.bulk).toBe(2);
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    expect(scheduler.snapshot().queued.bulk).toBe(1);
    clock.advance(1000);
    await expect(kept).resolves.toBe("kept");
    expect(sends).toHaveLength(2);
  });

  it("rejects an already aborted signal without queueing", async () => {
    const { scheduler, sends, send } = setup();
    await expect(scheduler.submit("bulk", send(), { signal: AbortSignal.abort() })).rejects.toBeDefined();
    expect(sends).toHaveLength(0);
  });

  it("holds calls while paused and rejects them on clear", async () => {
    const { clock, scheduler, sends, send } = setup();
    scheduler.pause();
    const held = scheduler.submit("control", send("held"));
    clock.advance(5000);
    expect(sends).toHaveLength(0);
    scheduler.resume();
    await expect(held).resolves.toBe("held");
    scheduler.pause();
    const dropped = scheduler.submit("control", send());
    scheduler.clear(new Error("disconnected"));
    await expect(dropped).rejects.toThrow("disconnected");
    expect(scheduler.snapshot().queued.control).toBe(0);
  });
});

describe("OutboundScheduler error 100", () => {
  it("halves the budget per violation down to the floor, then recovers 10 % per violation-free interval", () => {
    const { clock, scheduler } = setup({ floorPerSecond: 5, recoveryIntervalMs: 10_000 });
    expect(scheduler.budgetPerSecond()).toBe(45);
    scheduler.onPacingViolation();
    expect(scheduler.budgetPerSecond()).toBe(22.5);
    scheduler.onPacingViolation();
    scheduler.onPacingViolation();
    scheduler.onPacingViolation();
    expect(scheduler.budgetPerSecond()).toBe(5);
    clock.advance(9_999);
    expect(scheduler.budgetPerSecond()).toBe(5);
    clock.advance(1);
    expect(scheduler.budgetPerSecond()).toBeCloseTo(5.5);
    clock.advance(10_000);
    expect(scheduler.budgetPerSecond()).toBeCloseTo(6.05);
    // A violation during recovery halves again and restarts the interval.
    scheduler.onPacingViolation();
    expect(scheduler.budgetPerSecond()).toBe(5);
    // log(45/5)/log(1.1) ≈ 23.05 → 24 intervals to get back to 45.
    clock.advance(24 * 10_000);
    expect(scheduler.budgetPerSecond()).toBe(45);
  });

  it("sends at the reduced rate after a violation", () => {
    const { clock, sends, scheduler, send } = setup({ floorPerSecond: 5, recoveryIntervalMs: 60_000 });
    scheduler.onPacingViolation();
    scheduler.onPacingViolation();
    // budget 11.25/s
    for (let i = 0; i < 200; i++) void scheduler.submit("bulk", send());
    clock.advance(10_000);
    expect(sends.length).toBeGreaterThanOrEqual(110);
    expect(sends.length).toBeLessThanOrEqual(114);
  });
});

describe("OutboundScheduler metrics", () => {
  it("counts sends, depth, violations and the budget", async () => {
    const metrics = createMetrics({ service: "test", defaultMetrics: false });
    const clock = new FakeClock();
    const scheduler = new OutboundScheduler({ clock, metrics: createSchedulerMetrics(metrics) }, { burst: 1 });
    for (let i = 0; i < 3; i++) void scheduler.submit("marketData", () => 1);
    scheduler.onPacingViolation();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/spreadops_gateway_tws_messages_sent_total\{[^}]*priority="marketData"[^}]*\} 1/);
    expect(text).toMatch(/spreadops_gateway_tws_queue_depth\{[^}]*priority="marketData"[^}]*\} 2/);
    expect(text).toMatch(/spreadops_gateway_tws_pacing_violations_total\{[^}]*\} 1/);
    expect(text).toMatch(/spreadops_gateway_tws_message_budget\{[^}]*\} 22.5/);
  });
});
