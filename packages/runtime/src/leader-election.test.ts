import { describe, expect, it } from "vitest";
import { AlwaysLeader } from "./always-leader.js";
import { DEFAULT_LEADER_ELECTION_TIMINGS, LeaderElector, defaultLeaderIdentity, validateLeaderElectionTimings } from "./leader-election.js";
import { ConflictError, TransientLeaseError } from "./lease-store.js";
import type { LeaseKey, LeaseRecord, LeaseStore } from "./lease-store.js";
import { createLogger } from "./logger.js";
import { MemoryLeaseStore } from "./memory-lease-store.js";
import { createKubernetesLeaseStore } from "./kubernetes-lease-store.js";
import { startFakeLeaseApi } from "./testing/fake-lease-api.js";
import { FakeTime, settleTurns } from "./testing/fake-time.js";
import type { FakeClock } from "./testing/fake-time.js";

const LEASE = { namespace: "spreadops", name: "gateway" };
const logger = createLogger({ service: "test", level: "silent" });
const { leaseDurationMs, renewDeadlineMs, retryPeriodMs, jitterFactor } = DEFAULT_LEADER_ELECTION_TIMINGS;
const MAX_RETRY_MS = retryPeriodMs * (1 + jitterFactor);

/** A store seen through one contender's network: can be cut off, counts conflicts. */
class ContenderStore implements LeaseStore {
  partitioned = false;
  conflicts = 0;
  constructor(readonly inner: LeaseStore) {}
  #check(): void {
    if (this.partitioned) throw new TransientLeaseError("network partition");
  }
  async get(key: LeaseKey): Promise<LeaseRecord | undefined> {
    this.#check();
    return this.inner.get(key);
  }
  async create(record: LeaseRecord): Promise<LeaseRecord> {
    this.#check();
    return this.#count(this.inner.create(record));
  }
  async update(record: LeaseRecord): Promise<LeaseRecord> {
    this.#check();
    return this.#count(this.inner.update(record));
  }
  async #count(write: Promise<LeaseRecord>): Promise<LeaseRecord> {
    try {
      return await write;
    } catch (error) {
      if (error instanceof ConflictError) this.conflicts += 1;
      throw error;
    }
  }
}

interface Contender {
  readonly name: string;
  readonly elector: LeaderElector;
  readonly clock: FakeClock;
  readonly store: ContenderStore;
  /** Timeline times of callbacks. */
  readonly events: { at: number; what: string }[];
  /** Timeline time of the last onStartedLeading / onStoppedLeading. */
  startedAt(): number | undefined;
  stoppedAt(): number | undefined;
  signal: AbortSignal | undefined;
  /** Started and not stopped, by the callbacks. */
  acting: boolean;
  /** The process hangs: its callbacks can no longer run, so only isLeader() counts. */
  hang(): void;
  hung: boolean;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function contender(
  name: string,
  time: FakeTime,
  store: LeaseStore,
  options: { skewMs?: number; random?: () => number } = {},
): Contender {
  const clock = time.clock(options.skewMs ?? 0);
  const own = new ContenderStore(store);
  const events: { at: number; what: string }[] = [];
  const last = (what: string): number | undefined => events.filter((e) => e.what === what).at(-1)?.at;
  const c: Contender = {
    name,
    clock,
    store: own,
    events,
    startedAt: () => last("started"),
    stoppedAt: () => last("stopped"),
    signal: undefined,
    acting: false,
    hung: false,
    hang: () => {
      c.hung = true;
      clock.freeze();
    },
    elector: new LeaderElector({
      store: own,
      lease: LEASE,
      identity: name,
      logger,
      clock,
      random: options.random ?? seeded(name.charCodeAt(0)),
      onStartedLeading: (signal) => {
        c.signal = signal;
        c.acting = true;
        events.push({ at: time.now(), what: "started" });
      },
      onStoppedLeading: () => {
        c.acting = false;
        events.push({ at: time.now(), what: "stopped" });
      },
      onNewLeader: (identity) => {
        events.push({ at: time.now(), what: `leader ${identity}` });
      },
    }),
  };
  return c;
}

/** Checks at every tick that no two contenders are leader, by isLeader() and by callbacks. */
function noTwoLeaders(contenders: readonly Contender[]): (now: number) => void {
  return (now) => {
    const leaders = contenders.filter((c) => c.elector.isLeader()).map((c) => c.name);
    const acting = contenders.filter((c) => c.acting && !c.hung).map((c) => c.name);
    if (leaders.length > 1 || acting.length > 1) {
      throw new Error(`two leaders at ${new Date(now).toISOString()}: isLeader ${leaders.join(",")}; acting ${acting.join(",")}`);
    }
  };
}

function setup(options: { skewB?: number; store?: MemoryLeaseStore; time?: FakeTime } = {}) {
  const time = options.time ?? new FakeTime();
  const store = options.store ?? new MemoryLeaseStore({ clock: time.clock() });
  const a = contender("A", time, store);
  const b = contender("B", time, store, { skewMs: options.skewB ?? 0 });
  const check = noTwoLeaders([a, b]);
  const advance = (ms: number): Promise<void> => time.advance(ms, { onTick: check });
  return { time, store, a, b, advance };
}

/** Epoch ms of the lease's last renewal as written (by the holder's clock). */
function renewTimeOf(store: MemoryLeaseStore): number {
  return Date.parse(store.peek(LEASE)?.renewTime ?? "");
}

describe("LeaderElector with two contenders", () => {
  it("elects exactly one leader; the other follows and observes it", async () => {
    const { a, b, store, advance, time } = setup();
    a.elector.start();
    b.elector.start();
    await advance(60_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(a.events.filter((e) => e.what === "started")).toHaveLength(1);
    expect(b.events.map((e) => e.what)).toEqual(["leader A"]);
    expect(b.elector.currentLeader()).toBe("A");
    // Both started in the same instant and both saw no lease: B's create lost (409).
    expect(b.store.conflicts).toBe(1);
    const record = store.peek(LEASE)!;
    expect(record).toMatchObject({ holderIdentity: "A", leaseDurationSeconds: 15, leaseTransitions: 0 });
    // Renewed every retry period: the last renewal is at most one period old.
    expect(time.now() - renewTimeOf(store)).toBeLessThanOrEqual(retryPeriodMs);
    expect(record.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it("a hung leader: B takes over only leaseDuration after it last saw a change, A already not leader", async () => {
    const { a, b, store, advance, time } = setup();
    a.elector.start();
    await advance(1);
    b.elector.start();
    await advance(10_000);
    a.hang(); // the process hangs: no more renewals, no release
    const lastWrite = renewTimeOf(store);
    const aLeaderAfterDeadline: number[] = [];
    await time.advance(30_000, {
      onTick: (now) => {
        noTwoLeaders([a, b])(now);
        // Hung, A cannot run callbacks, but isLeader() (what code checks before acting) turns
        // false once renewDeadline has passed since its last successful renewal began.
        if (now >= lastWrite + renewDeadlineMs && a.elector.isLeader()) aLeaderAfterDeadline.push(now);
      },
    });
    const takeover = b.startedAt()!;
    expect(takeover).toBeGreaterThanOrEqual(lastWrite + leaseDurationMs);
    // B polls at most every retryPeriod × (1 + jitter): it saw the last write within one poll, and
    // needs at most one more poll after expiry.
    expect(takeover).toBeLessThanOrEqual(lastWrite + leaseDurationMs + 2 * MAX_RETRY_MS);
    expect(aLeaderAfterDeadline).toEqual([]);
    expect(store.peek(LEASE)).toMatchObject({ holderIdentity: "B", leaseTransitions: 1 });
    await b.elector.stop();
  });

  it("renew failures shorter than renewDeadline keep A leader", async () => {
    const { a, b, store, advance } = setup();
    a.elector.start();
    await advance(1);
    b.elector.start();
    await advance(6_000);
    // B never updates a lease it sees held, so these hit A's renewals: 3 × 2 s = 6 s < 10 s.
    store.failNext("update", 3);
    await advance(30_000);
    expect(a.events.map((e) => e.what)).toEqual(["leader A", "started"]);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.startedAt()).toBeUndefined();
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it("renew failures longer than renewDeadline: A steps down (signal aborted) before B acquires", async () => {
    const { a, b, store, advance } = setup();
    a.elector.start();
    await advance(1);
    b.elector.start();
    await advance(6_000);
    a.store.partitioned = true;
    const lastWrite = renewTimeOf(store);
    await advance(40_000);
    const stopped = a.stoppedAt()!;
    expect(stopped).toBeLessThanOrEqual(lastWrite + renewDeadlineMs);
    expect(stopped).toBeGreaterThan(lastWrite + renewDeadlineMs - retryPeriodMs);
    expect(a.signal?.aborted).toBe(true);
    const takeover = b.startedAt()!;
    expect(takeover).toBeGreaterThanOrEqual(lastWrite + leaseDurationMs);
    expect(takeover - stopped).toBeGreaterThanOrEqual(leaseDurationMs - renewDeadlineMs);
    // The partition heals: A is a follower of B and does not take the lease back.
    a.store.partitioned = false;
    await advance(30_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.elector.currentLeader()).toBe("B");
    expect(a.events.at(-1)?.what).toBe("leader B");
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it("a renewal that hangs past the deadline makes A step down at the deadline", async () => {
    const { a, b, store, advance } = setup();
    a.elector.start();
    await advance(1);
    b.elector.start();
    await advance(4_000);
    store.setLatency(60_000); // every call now takes a minute
    const lastWrite = renewTimeOf(store);
    await advance(12_000);
    expect(a.stoppedAt()).toBeLessThanOrEqual(lastWrite + renewDeadlineMs);
    expect(a.elector.isLeader()).toBe(false);
    store.setLatency(0);
    await Promise.all([a.elector.stop({ release: false }), b.elector.stop({ release: false })]);
  });

  it("two contenders racing for an expired lease at the same instant: exactly one wins", async () => {
    const time = new FakeTime();
    const store = new MemoryLeaseStore({ clock: time.clock() });
    // A dead holder; both contenders poll in lock-step (no jitter) and every call takes 50 ms,
    // so both read the same resourceVersion and both try to write it.
    await store.create({ ...LEASE, holderIdentity: "C", leaseDurationSeconds: 15, leaseTransitions: 4 });
    store.setLatency(50);
    const a = contender("A", time, store, { random: () => 0 });
    const b = contender("B", time, store, { random: () => 0 });
    a.elector.start();
    b.elector.start();
    await time.advance(30_000, { onTick: noTwoLeaders([a, b]) });
    const winners = [a, b].filter((c) => c.startedAt() !== undefined);
    expect(winners).toHaveLength(1);
    expect(a.store.conflicts + b.store.conflicts).toBe(1);
    const loser = winners[0] === a ? b : a;
    expect(loser.store.conflicts).toBe(1);
    expect(store.peek(LEASE)).toMatchObject({ holderIdentity: winners[0]!.name, leaseTransitions: 5 });
    // Not before the lease had been unchanged for leaseDuration since they first saw it (t = 50 ms).
    expect(winners[0]!.startedAt()! - Date.UTC(2026, 0, 5, 14, 30)).toBeGreaterThanOrEqual(leaseDurationMs);
    store.setLatency(0);
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  for (const skewB of [30_000, -30_000]) {
    it(`clock skew: B ${skewB > 0 ? "30 s ahead" : "30 s behind"} neither steals a renewed lease nor waits too long`, async () => {
      const { a, b, store, advance, time } = setup({ skewB });
      a.elector.start();
      await advance(1);
      b.elector.start();
      await advance(120_000);
      expect(b.startedAt()).toBeUndefined();
      expect(a.elector.isLeader()).toBe(true);
      a.hang();
      const lastWrite = renewTimeOf(store); // by A's clock, which is the timeline here
      await advance(40_000);
      const takeover = b.startedAt()!;
      expect(takeover).toBeGreaterThanOrEqual(lastWrite + leaseDurationMs);
      expect(takeover).toBeLessThanOrEqual(lastWrite + leaseDurationMs + 2 * MAX_RETRY_MS);
      // B writes its own (skewed) clock into the lease; nobody compares it with theirs.
      expect(Date.parse(store.peek(LEASE)!.renewTime!) - time.now()).toBeGreaterThanOrEqual(skewB - retryPeriodMs);
      await b.elector.stop();
    });
  }

  it("graceful stop: A stops leading first, then releases; B acquires within one retry period", async () => {
    const { a, b, store, advance, time } = setup();
    a.elector.start();
    await advance(1);
    b.elector.start();
    await advance(10_000);
    let holderWhenStopped: string | undefined;
    a.elector.subscribe({ onStoppedLeading: () => void (holderWhenStopped = store.peek(LEASE)?.holderIdentity) });
    const released = time.now();
    await a.elector.stop();
    expect(holderWhenStopped).toBe("A");
    expect(store.peek(LEASE)).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(a.signal?.aborted).toBe(true);
    await advance(10_000);
    expect(b.startedAt()! - released).toBeLessThanOrEqual(MAX_RETRY_MS);
    expect(store.peek(LEASE)).toMatchObject({ holderIdentity: "B", leaseDurationSeconds: 15, leaseTransitions: 1 });
    await b.elector.stop({ release: false });
    expect(store.peek(LEASE)?.holderIdentity).toBe("B");
  });

  it("over real HTTP: a fake API server and KubernetesLeaseStore", async () => {
    const api = await startFakeLeaseApi();
    try {
      const inflight = { count: 0 };
      const base = createKubernetesLeaseStore(api.kubeConfig());
      const counted: LeaseStore = {
        get: (key) => track(base.get(key)),
        create: (record) => track(base.create(record)),
        update: (record) => track(base.update(record)),
      };
      async function track<T>(work: Promise<T>): Promise<T> {
        inflight.count += 1;
        try {
          return await work;
        } finally {
          inflight.count -= 1;
        }
      }
      // Settle = no request in flight after a few turns (requests start in microtasks).
      const time = new FakeTime({
        settle: async () => {
          const until = Date.now() + 2_000;
          do {
            await settleTurns();
            while (inflight.count > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
            await settleTurns();
          } while (inflight.count > 0 && Date.now() < until);
        },
      });
      const a = contender("A", time, counted);
      const b = contender("B", time, counted);
      const check = noTwoLeaders([a, b]);
      a.elector.start();
      await time.advance(1, { onTick: check });
      b.elector.start();
      await time.advance(10_000, { onTick: check, stepMs: 1_000 });
      expect(a.elector.isLeader()).toBe(true);
      expect(b.elector.currentLeader()).toBe("A");
      await a.elector.stop();
      await time.advance(6_000, { onTick: check, stepMs: 1_000 });
      expect(b.elector.isLeader()).toBe(true);
      expect(api.store.peek(LEASE)).toMatchObject({ holderIdentity: "B", leaseTransitions: 1 });
      expect(api.requests.some((r) => r.startsWith("PUT "))).toBe(true);
      await b.elector.stop();
      expect(api.store.peek(LEASE)?.holderIdentity).toBe("");
    } finally {
      await api.close();
    }
  });
});

describe("timings and identity", () => {
  it("accepts client-go's defaults and refuses what client-go refuses", () => {
    expect(() => {
      validateLeaderElectionTimings(DEFAULT_LEADER_ELECTION_TIMINGS);
    }).not.toThrow();
    const base = DEFAULT_LEADER_ELECTION_TIMINGS;
    expect(() => {
      validateLeaderElectionTimings({ ...base, leaseDurationMs: 10_000 });
    }).toThrow(/leaseDuration .* must be greater than renewDeadline/);
    expect(() => {
      validateLeaderElectionTimings({ ...base, renewDeadlineMs: 2_400 });
    }).toThrow(/renewDeadline .* retryPeriod × jitterFactor/);
    expect(() => {
      validateLeaderElectionTimings({ ...base, retryPeriodMs: 0 });
    }).toThrow(/retryPeriodMs must be positive/);
    expect(() => {
      validateLeaderElectionTimings({ ...base, leaseDurationMs: 15_500 });
    }).toThrow(/whole seconds/);
    expect(
      () => new LeaderElector({ store: new MemoryLeaseStore(), lease: LEASE, identity: "A", logger, timings: { renewDeadlineMs: 20_000 } }),
    ).toThrow(/invalid leader election timings/);
  });

  it("identity is the pod name plus a random suffix", () => {
    const one = defaultLeaderIdentity({ HOSTNAME: "gateway-7d9f-abcde" });
    expect(one).toMatch(/^gateway-7d9f-abcde_[0-9a-f]{8}$/);
    expect(defaultLeaderIdentity({ HOSTNAME: "gateway-7d9f-abcde" })).not.toBe(one);
  });
});

describe("AlwaysLeader", () => {
  it("leads from start to stop", async () => {
    const events: string[] = [];
    let signal: AbortSignal | undefined;
    const leader = new AlwaysLeader({
      identity: "laptop",
      onStartedLeading: (s) => {
        signal = s;
        events.push("started");
      },
      onStoppedLeading: () => void events.push("stopped"),
      onNewLeader: (id) => void events.push(`leader ${id}`),
    });
    expect(leader.isLeader()).toBe(false);
    leader.start();
    await settleTurns(1);
    expect(leader.isLeader()).toBe(true);
    expect(leader.currentLeader()).toBe("laptop");
    await leader.stop();
    expect(leader.isLeader()).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(events).toEqual(["leader laptop", "started", "stopped"]);
  });
});
