import { DomainError } from "@spreadops/runtime";
import type { Logger } from "@spreadops/runtime";
import type { CancelTimer, Clock } from "./clock.js";
import { PacingBudget } from "./pacing-budget.js";
import { RANK_COUNT, rankOf } from "./priority.js";
import type { Priority } from "./priority.js";
import type { SchedulerMetrics } from "./scheduler-metrics.js";
import { SendWindow } from "./send-window.js";

/** Settings of an {@link OutboundScheduler}. */
export interface SchedulerOptions {
  /** Steady budget, messages per second (default 45). */
  readonly ratePerSecond?: number;
  /** Hard cap: never more messages than this in any sliding second (default 50). */
  readonly hardCapPerSecond?: number;
  /** Extra milliseconds added to the sliding second for timer and socket jitter (default 25). */
  readonly windowMarginMs?: number;
  /** Tokens saved up while idle (default 5). */
  readonly burst?: number;
  /** Lowest budget after pacing violations, messages per second (default 5). */
  readonly floorPerSecond?: number;
  /** Violation-free time after which the budget grows by `recoveryFactor` (default 10 s). */
  readonly recoveryIntervalMs?: number;
  /** Budget growth per recovery interval (default 1.1, i.e. +10 %). */
  readonly recoveryFactor?: number;
  /** Queued calls per priority beyond which `submit` refuses at once (default 5000). */
  readonly maxQueuedPerPriority?: number;
}

/** Per-call options of {@link OutboundScheduler.submit}. */
export interface SubmitOptions {
  /** Aborting removes the call from the queue (if not sent yet) and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Messages the call sends (default 1), e.g. 2 for a call that writes two API messages. */
  readonly cost?: number;
}

/** A snapshot of the scheduler for status pages and tests. */
export interface SchedulerSnapshot {
  readonly paused: boolean;
  readonly budgetPerSecond: number;
  readonly queued: Readonly<Record<Priority, number>>;
  readonly sentTotal: number;
  /** Messages sent in the last 1000 ms (sliding). */
  readonly sentLastSecond: number;
  readonly violations: number;
  /** When the longest-waiting queued call was submitted; undefined when nothing waits. */
  readonly oldestQueuedAt?: number;
  /** Messages sent while the hard cap was already reached within one second (should stay 0). */
  readonly sentOverLimit: number;
}

/** Collaborators of an {@link OutboundScheduler}. */
export interface SchedulerDeps {
  readonly clock: Clock;
  readonly metrics?: SchedulerMetrics;
  readonly logger?: Logger;
}

/**
 * `resource_exhausted` from {@link OutboundScheduler.submit} when a priority's queue is full.
 * `retryAfterMs` estimates when the queue ahead of the caller will have drained.
 */
export class QueueFullError extends DomainError {
  override readonly name = "QueueFullError";
  readonly retryAfterMs: number;

  constructor(priority: Priority, queued: number, retryAfterMs: number) {
    super(
      "resource_exhausted",
      `TWS outbound queue full (${queued} ${priority} calls waiting); retry in ${retryAfterMs} ms`,
      { metadata: { "retry-after-ms": String(retryAfterMs), "retry-after": String(Math.ceil(retryAfterMs / 1000)) } },
    );
    this.retryAfterMs = retryAfterMs;
  }
}

interface QueuedCall {
  readonly priority: Priority;
  readonly cost: number;
  readonly submittedAt: number;
  readonly run: () => void;
  readonly fail: (error: Error) => void;
  detach: () => void;
}

/**
 * The one queue for everything sent to TWS. Calls go out by priority (FIFO within one), at the
 * pacing budget (45/s, halved on error 100 and recovered gradually) and never more than the hard
 * cap in any sliding second. A full priority refuses at once (back-pressure) instead of letting
 * latency grow without bound. While paused (TWS not connected) calls wait; `clear` rejects them.
 */
export class OutboundScheduler {
  readonly #clock: Clock;
  readonly #metrics: SchedulerMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #window: SendWindow;
  readonly #budget: PacingBudget;
  readonly #maxQueued: number;
  readonly #queues: QueuedCall[][] = Array.from({ length: RANK_COUNT }, () => []);
  readonly #depth: Record<Priority, number> = { order: 0, cancel: 0, control: 0, marketData: 0, historical: 0, bulk: 0 };
  #timer: { readonly at: number; readonly cancel: CancelTimer } | undefined;
  #paused = false;
  #pumping = false;
  #sentTotal = 0;
  #violations = 0;

  constructor(deps: SchedulerDeps, options: SchedulerOptions = {}) {
    this.#clock = deps.clock;
    this.#metrics = deps.metrics;
    this.#logger = deps.logger;
    const rate = options.ratePerSecond ?? 45;
    const cap = options.hardCapPerSecond ?? 50;
    if (rate > cap) throw new RangeError(`ratePerSecond (${rate}) must not exceed hardCapPerSecond (${cap})`);
    this.#window = new SendWindow(cap, 1000, options.windowMarginMs ?? 25);
    this.#budget = new PacingBudget(
      {
        ratePerSecond: rate,
        burst: options.burst ?? 5,
        floorPerSecond: Math.min(rate, options.floorPerSecond ?? 5),
        recoveryIntervalMs: options.recoveryIntervalMs ?? 10_000,
        recoveryFactor: options.recoveryFactor ?? 1.1,
      },
      this.#clock.now(),
    );
    this.#maxQueued = options.maxQueuedPerPriority ?? 5000;
    this.#metrics?.budget(rate);
  }

  /**
   * Queues `send` (which must perform exactly `cost` TWS API messages, default 1) and resolves with
   * its result once it has been sent. Rejects at once with {@link QueueFullError} when the
   * priority's queue is full, with the signal's reason when aborted before sending, and with
   * whatever `send` throws.
   */
  submit<T>(priority: Priority, send: () => T, options: SubmitOptions = {}): Promise<T> {
    const cost = options.cost ?? 1;
    if (!Number.isInteger(cost) || cost < 1 || cost > this.#window.cap) {
      return Promise.reject(new RangeError(`cost must be an integer from 1 to ${this.#window.cap}, got ${cost}`));
    }
    const signal = options.signal;
    if (signal?.aborted === true) {
      this.#metrics?.rejected(priority, "aborted");
      return Promise.reject(abortReason(signal));
    }
    if (this.#depth[priority] >= this.#maxQueued) {
      const retryAfterMs = this.drainEstimateMs(priority);
      this.#metrics?.rejected(priority, "queue_full");
      return Promise.reject(new QueueFullError(priority, this.#depth[priority], retryAfterMs));
    }
    return new Promise<T>((resolve, reject) => {
      const call: QueuedCall = {
        priority,
        cost,
        submittedAt: this.#clock.now(),
        run: () => {
          resolve(send());
        },
        fail: reject,
        detach: () => undefined,
      };
      if (signal !== undefined) {
        const onAbort = (): void => {
          if (this.#remove(call)) {
            this.#metrics?.rejected(priority, "aborted");
            reject(abortReason(signal));
            this.#pump();
          }
        };
        signal.addEventListener("abort", onAbort, { once: true });
        call.detach = () => {
          signal.removeEventListener("abort", onAbort);
        };
      }
      this.#queue(rankOf(priority)).push(call);
      this.#setDepth(priority, this.#depth[priority] + 1);
      this.#pump();
    });
  }

  /** Error 100 from TWS: halve the budget (down to the floor); it recovers gradually. */
  onPacingViolation(): void {
    const now = this.#clock.now();
    this.#budget.onViolation(now);
    this.#violations++;
    this.#metrics?.violation();
    const rate = this.#budget.rate(now);
    this.#metrics?.budget(rate);
    this.#logger?.warn({ budgetPerSecond: rate }, "TWS pacing violation (error 100): message budget reduced");
    this.#reschedule();
  }

  /** Stops sending (calls keep queueing) until {@link resume}. */
  pause(): void {
    this.#paused = true;
    this.#cancelTimer();
  }

  /** Sends again. */
  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  /** Rejects every queued call with `error` (e.g. on disconnect: they would go to a dead session). */
  clear(error: Error): void {
    for (const queue of this.#queues) {
      for (const call of queue.splice(0)) {
        call.detach();
        this.#setDepth(call.priority, this.#depth[call.priority] - 1);
        this.#metrics?.rejected(call.priority, "cleared");
        call.fail(error);
      }
    }
    this.#cancelTimer();
  }

  /** Current budget in messages per second. */
  budgetPerSecond(): number {
    return this.#budget.rate(this.#clock.now());
  }

  /** Estimated milliseconds until everything queued at `priority` and above has been sent. */
  drainEstimateMs(priority: Priority): number {
    const rank = rankOf(priority);
    let cost = 0;
    for (let r = 0; r <= rank; r++) for (const call of this.#queue(r)) cost += call.cost;
    return Math.ceil((cost * 1000) / this.budgetPerSecond());
  }

  /** Queue depth, budget and counters. */
  snapshot(): SchedulerSnapshot {
    const now = this.#clock.now();
    const oldestQueuedAt = this.#oldestQueuedAt();
    return {
      paused: this.#paused,
      budgetPerSecond: this.budgetPerSecond(),
      queued: { ...this.#depth },
      sentTotal: this.#sentTotal,
      sentLastSecond: this.#window.sentWithin(now, 1000),
      violations: this.#violations,
      sentOverLimit: this.#window.overLimit,
      ...(oldestQueuedAt === undefined ? {} : { oldestQueuedAt }),
    };
  }

  /** Each queue is FIFO, so the oldest call is at the head of one of them. */
  #oldestQueuedAt(): number | undefined {
    let oldest: number | undefined;
    for (const queue of this.#queues) {
      const head = queue[0];
      if (head !== undefined && (oldest === undefined || head.submittedAt < oldest)) oldest = head.submittedAt;
    }
    return oldest;
  }

  #queue(rank: number): QueuedCall[] {
    const queue = this.#queues[rank];
    if (queue === undefined) throw new RangeError(`no queue of rank ${rank}`);
    return queue;
  }

  #head(): QueuedCall | undefined {
    for (const queue of this.#queues) {
      const head = queue[0];
      if (head !== undefined) return head;
    }
    return undefined;
  }

  #remove(call: QueuedCall): boolean {
    const queue = this.#queue(rankOf(call.priority));
    const index = queue.indexOf(call);
    if (index < 0) return false;
    queue.splice(index, 1);
    this.#setDepth(call.priority, this.#depth[call.priority] - 1);
    return true;
  }

  #setDepth(priority: Priority, depth: number): void {
    this.#depth[priority] = depth;
    this.#metrics?.depth(priority, depth);
  }

  /** Sends every call that may go now, then arms one timer for the next. */
  #pump(): void {
    // A `send` that submits again must not re-enter the loop.
    if (this.#pumping || this.#paused) return;
    this.#pumping = true;
    try {
      for (;;) {
        const head = this.#head();
        if (head === undefined) {
          this.#cancelTimer();
          return;
        }
        const now = this.#clock.now();
        const at = this.#earliest(now, head.cost);
        if (at > now) {
          this.#armTimer(at);
          return;
        }
        this.#queue(rankOf(head.priority)).shift();
        this.#setDepth(head.priority, this.#depth[head.priority] - 1);
        head.detach();
        this.#window.record(now, head.cost);
        this.#budget.take(now, head.cost);
        this.#sentTotal += head.cost;
        this.#metrics?.sent(head.priority, head.cost);
        this.#metrics?.waited(head.priority, (now - head.submittedAt) / 1000);
        try {
          head.run();
        } catch (error) {
          head.fail(error instanceof Error ? error : new Error(String(error)));
        }
        // `run` may have paused the scheduler (a call that ends the session).
        if (this.#isPaused()) return;
      }
    } finally {
      this.#pumping = false;
    }
  }

  #isPaused(): boolean {
    return this.#paused;
  }

  #earliest(now: number, cost: number): number {
    return Math.max(this.#window.earliest(now, cost), this.#budget.earliest(now, cost));
  }

  #reschedule(): void {
    this.#cancelTimer();
    this.#pump();
  }

  #armTimer(at: number): void {
    if (this.#timer !== undefined && this.#timer.at === at) return;
    this.#cancelTimer();
    const cancel = this.#clock.setTimer(at - this.#clock.now(), () => {
      this.#timer = undefined;
      this.#metrics?.budget(this.#budget.rate(this.#clock.now()));
      this.#pump();
    });
    this.#timer = { at, cancel };
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === "string" ? reason : "The operation was aborted.", "AbortError");
}

