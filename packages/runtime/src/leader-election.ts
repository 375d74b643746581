import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { systemClock } from "./clock.js";
import type { Clock as RuntimeClock } from "./clock.js";

/** The part of the clock used here. */
type Clock = Pick<RuntimeClock, "now" | "sleep">;
import type { Leadership, LeadershipListener } from "./leadership.js";
import { ConflictError, LeaseStoreError, formatMicroTime } from "./lease-store.js";
import type { LeaseKey, LeaseRecord, LeaseStore } from "./lease-store.js";
import type { Logger } from "./logger.js";

/** The timings of leader election, in milliseconds (client-go's names). */
export interface LeaderElectionTimings {
  /** How long a follower waits after it last saw the lease change before taking it; whole seconds. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up leading. */
  readonly renewDeadlineMs: number;
  /** Pause between attempts to acquire or renew. */
  readonly retryPeriodMs: number;
  /** Acquire attempts wait `retryPeriod × (1 + random × jitterFactor)`. */
  readonly jitterFactor: number;
}

/** client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry period, jitter 1.2. */
export const DEFAULT_LEADER_ELECTION_TIMINGS: LeaderElectionTimings = Object.freeze({
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  jitterFactor: 1.2,
});

/**
 * Checks the timings as client-go does: leaseDuration > renewDeadline > retryPeriod ×
 * jitterFactor, all positive. The first inequality is what makes the leader stop before anyone
 * else may start; the second leaves room for several renew attempts.
 * @throws Error naming the broken rule.
 */
export function validateLeaderElectionTimings(timings: LeaderElectionTimings): void {
  const { leaseDurationMs, renewDeadlineMs, retryPeriodMs, jitterFactor } = timings;
  const problems: string[] = [];
  for (const [name, value] of Object.entries({ leaseDurationMs, renewDeadlineMs, retryPeriodMs })) {
    if (!Number.isFinite(value) || value <= 0) problems.push(`${name} must be positive, got ${value}`);
  }
  if (!Number.isFinite(jitterFactor) || jitterFactor < 0) problems.push(`jitterFactor must be >= 0, got ${jitterFactor}`);
  if (leaseDurationMs % 1000 !== 0) problems.push(`leaseDurationMs must be whole seconds (leaseDurationSeconds), got ${leaseDurationMs}`);
  if (leaseDurationMs <= renewDeadlineMs) {
    problems.push(`leaseDuration (${leaseDurationMs} ms) must be greater than renewDeadline (${renewDeadlineMs} ms)`);
  }
  if (renewDeadlineMs <= retryPeriodMs * jitterFactor) {
    problems.push(
      `renewDeadline (${renewDeadlineMs} ms) must be greater than retryPeriod × jitterFactor (${retryPeriodMs} × ${jitterFactor})`,
    );
  }
  if (problems.length > 0) throw new Error(`invalid leader election timings: ${problems.join("; ")}`);
}

/** `HOSTNAME` (the pod name in Kubernetes) plus a random suffix, so a restarted pod is a new contender. */
export function defaultLeaderIdentity(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const host = env["HOSTNAME"] !== undefined && env["HOSTNAME"] !== "" ? env["HOSTNAME"] : hostname();
  return `${host}_${randomUUID().slice(0, 8)}`;
}

/** Options for {@link LeaderElector}. */
export interface LeaderElectorOptions extends LeadershipListener {
  readonly store: LeaseStore;
  readonly lease: LeaseKey;
  readonly identity: string;
  readonly logger: Logger;
  /** Defaults to {@link DEFAULT_LEADER_ELECTION_TIMINGS}; validated by the constructor. */
  readonly timings?: Partial<LeaderElectionTimings>;
  /** Release the lease when stopped (client-go's ReleaseOnCancel); default true. */
  readonly releaseOnStop?: boolean;
  readonly clock?: Clock;
  /** Uniform in [0, 1), for jitter; default `Math.random`. */
  readonly random?: () => number;
}

/** A Lease as last seen, with the LOCAL time at which its content was first seen. */
interface Observation {
  readonly record: LeaseRecord;
  readonly at: number;
}

type AttemptResult =
  | { readonly kind: "acquired"; readonly observation: Observation }
  | { readonly kind: "held"; readonly observation: Observation }
  | { readonly kind: "failed"; readonly error: unknown; readonly observation?: Observation };

const TIMED_OUT = Symbol("timed out");

function sameSpec(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    (a.holderIdentity ?? "") === (b.holderIdentity ?? "") &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

// A function, not `signal.aborted` inline: after an `await` the flag may have changed, which
// TypeScript's narrowing (from the loop's check) does not know.
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease with client-go's algorithm
 * (tools/leaderelection): at most one leader at a time, provided clocks run at about the same
 * RATE (their offsets do not matter). See docs/leader-election.md for the reasoning.
 *
 * - Follower: every retryPeriod (jittered) read the Lease; take it if it is absent, released
 *   (no holder) or expired — expired meaning it has not CHANGED for leaseDuration by this
 *   replica's own clock since it first saw its current content. Writes are conditional on
 *   resourceVersion, so of two simultaneous takers exactly one wins.
 * - Leader: renew every retryPeriod. If no renewal succeeds within renewDeadline of the start of
 *   the last successful one, stop leading (abort the signal, `onStoppedLeading`) — before any
 *   follower can see the lease as expired, because renewDeadline < leaseDuration. Then campaign
 *   again as a follower.
 * - `stop()`: stop leading, then release the lease (no holder, 1 s duration) so a standby takes
 *   over within one retry period.
 */
export class LeaderElector implements Leadership {
  readonly identity: string;
  readonly #store: LeaseStore;
  readonly #lease: LeaseKey;
  readonly #logger: Logger;
  readonly #timings: LeaderElectionTimings;
  readonly #releaseOnStop: boolean;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #listeners = new Set<LeadershipListener>();

  #observed: Observation | undefined;
  #reportedLeader: string | undefined;
  /** Set while leading; aborted when leadership ends. */
  #leading: AbortController | undefined;
  /** Local time at which the last successful acquire/renew STARTED: the renew deadline counts from here. */
  #renewedAt = 0;
  #stopping: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    const timings = { ...DEFAULT_LEADER_ELECTION_TIMINGS, ...options.timings };
    validateLeaderElectionTimings(timings);
    if (options.identity === "") throw new Error("leader election identity must not be empty");
    this.identity = options.identity;
    this.#store = options.store;
    this.#lease = { namespace: options.lease.namespace, name: options.lease.name };
    this.#logger = options.logger.child({ component: "leader-election", lease: `${this.#lease.namespace}/${this.#lease.name}` });
    this.#timings = timings;
    this.#releaseOnStop = options.releaseOnStop ?? true;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#listeners.add(options);
  }

  /** The validated timings in use. */
  get timings(): LeaderElectionTimings {
    return this.#timings;
  }

  /**
   * True while leading. Also false as soon as the renew deadline has passed, even if the loop
   * has not run yet (a blocked event loop): callers can check it right before acting.
   */
  isLeader(): boolean {
    return this.#leading !== undefined && this.#clock.now() < this.#renewedAt + this.#timings.renewDeadlineMs;
  }

  currentLeader(): string | undefined {
    const holder = this.#observed?.record.holderIdentity;
    return holder === undefined || holder === "" ? undefined : holder;
  }

  subscribe(listener: LeadershipListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#loop !== undefined) throw new Error("LeaderElector: already started");
    const stopping = new AbortController();
    this.#stopping = stopping;
    this.#logger.info({ identity: this.identity, ...this.#timings }, "leader election started");
    this.#loop = this.#run(stopping.signal).catch((error: unknown) => {
      // #run catches per attempt; reaching here is a bug, and a silent follower is the safe state.
      this.#logger.error({ err: error }, "leader election loop failed");
    });
  }

  async stop(options: { readonly release?: boolean } = {}): Promise<void> {
    const stopping = this.#stopping;
    if (stopping === undefined || stopping.signal.aborted) return;
    stopping.abort();
    await this.#loop;
    // Leader-only work ends first, so nothing acts as leader once the lease is released.
    await this.#stepDown("stopping");
    if (options.release ?? this.#releaseOnStop) await this.#release();
    this.#logger.info("leader election stopped");
  }

  async #run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      if (this.#leading === undefined) await this.#campaignOnce(stop);
      else await this.#renewUntilDeadline(stop);
    }
  }

  /** One follower round: try to acquire, then wait a jittered retry period. */
  async #campaignOnce(stop: AbortSignal): Promise<void> {
    const startedAt = this.#clock.now();
    const result = await this.#raced(this.#attempt(startedAt), undefined, stop);
    if (result === TIMED_OUT) return;
    // Applied even when stopping: if we just took the lease, stop() must know to release it.
    this.#apply(result);
    if (aborted(stop)) return;
    if (result.kind === "acquired") {
      this.#startLeading(startedAt);
      return;
    }
    if (result.kind === "failed") this.#logFailure("acquire", result.error);
    const { retryPeriodMs, jitterFactor } = this.#timings;
    await this.#clock.sleep(retryPeriodMs * (1 + this.#random() * jitterFactor), stop);
  }

  /** The leader's round: wait a retry period, then renew, retrying until the deadline. */
  async #renewUntilDeadline(stop: AbortSignal): Promise<void> {
    await this.#clock.sleep(this.#timings.retryPeriodMs, stop);
    for (;;) {
      if (stop.aborted) return;
      const deadline = this.#renewedAt + this.#timings.renewDeadlineMs;
      const startedAt = this.#clock.now();
      if (startedAt >= deadline) {
        await this.#stepDown("renew deadline passed");
        return;
      }
      const result = await this.#raced(this.#attempt(startedAt), deadline, stop);
      if (aborted(stop)) return;
      // A success that arrives after the deadline does not count: isLeader() has already said
      // false, and followers may be counting from an earlier write. Step down; campaigning again
      // re-takes our own lease if nobody else did.
      if (result === TIMED_OUT || this.#clock.now() >= deadline) {
        await this.#stepDown("renew deadline passed");
        return;
      }
      this.#apply(result);
      if (result.kind === "acquired") {
        this.#renewedAt = startedAt;
        return;
      }
      if (result.kind === "held") {
        // Someone else holds it and it is still valid in our eyes: we lost it (e.g. deleted and
        // re-created). Never keep leading on a lease we do not hold.
        await this.#stepDown(`lease is held by ${result.observation.record.holderIdentity ?? "?"}`);
        return;
      }
      this.#logFailure("renew", result.error);
      await this.#clock.sleep(Math.min(this.#timings.retryPeriodMs, deadline - this.#clock.now()), stop);
    }
  }

  /**
   * client-go's tryAcquireOrRenew. Pure with respect to this object's state: the caller applies
   * the result, so an attempt abandoned at the deadline cannot change what we believe.
   */
  async #attempt(now: number): Promise<AttemptResult> {
    const nowText = formatMicroTime(now);
    const leaseDurationSeconds = this.#timings.leaseDurationMs / 1000;
    let current: LeaseRecord | undefined;
    try {
      current = await this.#store.get(this.#lease);
    } catch (error) {
      return { kind: "failed", error };
    }
    if (current === undefined) {
      try {
        const created = await this.#store.create({
          ...this.#lease,
          holderIdentity: this.identity,
          leaseDurationSeconds,
          acquireTime: nowText,
          renewTime: nowText,
          leaseTransitions: 0,
        });
        return { kind: "acquired", observation: { record: created, at: this.#clock.now() } };
      } catch (error) {
        return { kind: "failed", error };
      }
    }

    // Expiry is judged by when WE first saw this content, on our clock — never by the holder's
    // renewTime, which was written by another machine's clock.
    const previous = this.#observed;
    const observation: Observation =
      previous !== undefined && sameSpec(previous.record, current) ? { record: current, at: previous.at } : { record: current, at: this.#clock.now() };
    const holder = current.holderIdentity ?? "";
    const mine = holder === this.identity;
    const durationMs = (current.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (holder !== "" && !mine && observation.at + durationMs > now) return { kind: "held", observation };

    try {
      const updated = await this.#store.update({
        ...this.#lease,
        resourceVersion: current.resourceVersion,
        holderIdentity: this.identity,
        leaseDurationSeconds,
        acquireTime: mine ? (current.acquireTime ?? nowText) : nowText,
        renewTime: nowText,
        leaseTransitions: mine ? (current.leaseTransitions ?? 0) : (current.leaseTransitions ?? 0) + 1,
      });
      return { kind: "acquired", observation: { record: updated, at: this.#clock.now() } };
    } catch (error) {
      return { kind: "failed", error, observation };
    }
  }

  /** Awaits `work`, giving up at `deadline` (local time) or when `stop` aborts. */
  async #raced<T>(work: Promise<T>, deadline: number | undefined, stop: AbortSignal): Promise<T | typeof TIMED_OUT> {
    const cancel = new AbortController();
    const onStop = (): void => {
      cancel.abort();
    };
    stop.addEventListener("abort", onStop, { once: true });
    const wait =
      deadline === undefined
        ? new Promise<void>((resolve) => {
            cancel.signal.addEventListener("abort", () => {
              resolve();
            }, { once: true });
          })
        : this.#clock.sleep(deadline - this.#clock.now(), cancel.signal);
    try {
      return await Promise.race([work, wait.then((): typeof TIMED_OUT => TIMED_OUT)]);
    } finally {
      stop.removeEventListener("abort", onStop);
      cancel.abort();
    }
  }

  #apply(result: AttemptResult): void {
    if (result.observation === undefined) return;
    this.#observed = result.observation;
    const holder = result.observation.record.holderIdentity ?? "";
    if (holder === "" || holder === this.#reportedLeader) return;
    this.#reportedLeader = holder;
    this.#logger.info({ leader: holder, self: holder === this.identity }, "new leader observed");
    for (const listener of [...this.#listeners]) {
      try {
        listener.onNewLeader?.(holder);
      } catch (error) {
        this.#logger.error({ err: error }, "onNewLeader failed");
      }
    }
  }

  #startLeading(startedAt: number): void {
    const controller = new AbortController();
    this.#leading = controller;
    this.#renewedAt = startedAt;
    this.#logger.info({ identity: this.identity, transitions: this.#observed?.record.leaseTransitions }, "became leader");
    for (const listener of [...this.#listeners]) {
      void Promise.resolve()
        .then(() => listener.onStartedLeading?.(controller.signal))
        .catch((error: unknown) => {
          this.#logger.error({ err: error }, "onStartedLeading failed");
        });
    }
  }

  async #stepDown(reason: string): Promise<void> {
    const controller = this.#leading;
    if (controller === undefined) return;
    this.#leading = undefined;
    controller.abort(new Error(`leadership lost: ${reason}`));
    if (reason === "stopping") this.#logger.info({ reason }, "stopped leading");
    else this.#logger.warn({ reason }, "stopped leading");
    for (const listener of [...this.#listeners]) {
      try {
        await listener.onStoppedLeading?.();
      } catch (error) {
        this.#logger.error({ err: error }, "onStoppedLeading failed");
      }
    }
  }

  /** client-go's release: keep the transitions count, clear the holder, 1 s duration. */
  async #release(): Promise<void> {
    const observed = this.#observed?.record;
    if (observed?.holderIdentity !== this.identity) return;
    const nowText = formatMicroTime(this.#clock.now());
    try {
      const released = await this.#store.update({
        ...this.#lease,
        resourceVersion: observed.resourceVersion,
        holderIdentity: "",
        leaseDurationSeconds: 1,
        acquireTime: nowText,
        renewTime: nowText,
        leaseTransitions: observed.leaseTransitions ?? 0,
      });
      this.#observed = { record: released, at: this.#clock.now() };
      this.#logger.info("lease released");
    } catch (error) {
      // A conflict means someone else wrote since: nothing of ours left to release.
      this.#logger.warn({ err: error }, "releasing the lease failed; the standby takes over when it expires");
    }
  }

  #logFailure(what: "acquire" | "renew", error: unknown): void {
    if (error instanceof ConflictError) this.#logger.debug({ err: error }, `${what}: lost a race for the lease`);
    else if (what === "renew") this.#logger.warn({ error: describe(error) }, "renewing the lease failed");
    else if (error instanceof LeaseStoreError && error.transient) this.#logger.debug({ error: describe(error) }, "acquiring the lease failed");
    // Not transient (RBAC, bad namespace): will not fix itself, so say it loudly.
    else this.#logger.warn({ error: describe(error) }, "acquiring the lease failed");
  }
}
