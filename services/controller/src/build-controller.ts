import type { ResourceStore, StrategyResource, TradeResource } from "@spreadops/resources";
import { STRATEGY, TRADE } from "@spreadops/resources";
import type { Clock, Leadership, Logger, Metrics } from "@spreadops/runtime";
import { BrokerStatusCache } from "./broker-status.js";
import { ControllerLoop } from "./controller-loop.js";
import { createControllerMetrics } from "./controller-metrics.js";
import type { ControllerKind, ControllerMetrics } from "./controller-metrics.js";
import { EventRecorder } from "./event-recorder.js";
import { Informer, objectKey } from "./informer.js";
import type { InformerEvent } from "./informer.js";
import type { ExecutionPort, GatewayPort, StrategyPort } from "./ports.js";
import { SpreadEventFollower } from "./spread-events.js";
import { StrategyFinalizer } from "./strategy-finalizer.js";
import { StrategyReconciler } from "./strategy-reconciler.js";
import type { StrategyReconcilerOptions } from "./strategy-reconciler.js";
import { TradeReconciler } from "./trade-reconciler.js";
import type { TradeTimings } from "./trade-steps.js";
import { TradeStatusWriter } from "./trade-status-writer.js";
import { WorkQueue } from "./work-queue.js";
import type { RateLimit } from "./work-queue.js";

/** Timings and limits; every one has a default fit for production. */
export interface ControllerTuning extends StrategyReconcilerOptions {
  /** Trade lifecycle timings (poll while working, exit checks, …). */
  readonly trade?: Partial<TradeTimings>;
  /** Per-key backoff of failed reconciles; default 1 s doubling to 5 min. */
  readonly rateLimit?: RateLimit;
  /** Backoff of informer restarts; default 500 ms doubling to 30 s. */
  readonly informerBackoff?: RateLimit;
  /** How long one GetConnectionStatus answer is reused; default 5 s. */
  readonly brokerStatusTtlMs?: number;
}

/** What {@link buildController} runs on. */
export interface ControllerOptions {
  readonly store: ResourceStore;
  readonly strategy: StrategyPort;
  readonly execution: ExecutionPort;
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * Leader election; only the leader runs informers and workers. Pass it unstarted: the
   * controller starts it in `start()` and stops (releases) it in `stop()`. Unset = always lead.
   */
  readonly leadership?: Leadership;
  /** Only this namespace; all namespaces when unset. */
  readonly namespace?: string;
  /** Workers per kind; default 4. One key is never reconciled by two workers at once. */
  readonly workers?: number;
  readonly tuning?: ControllerTuning;
}

/** The running operator. */
export interface Controller {
  /** Starts (campaigning for leadership when given one); without leadership resolves once the caches have synced. */
  start(): Promise<void>;
  /** Stops workers and informers (waiting for reconciles in flight) and releases leadership. */
  stop(): Promise<void>;
  /** True while this replica's informers and workers run. */
  isActive(): boolean;
}

/** The owner Strategy uid of a Trade (controller reference), for the "owner" index. */
function ownerUids(trade: TradeResource): string[] {
  return (trade.metadata.ownerReferences ?? []).filter((o) => o.kind === STRATEGY.kind && o.controller === true).map((o) => o.uid);
}

/** A MODIFIED that only changed status: nothing for the Strategy reconciler (it wrote it). */
function statusOnly(event: InformerEvent<StrategyResource>): boolean {
  const before = event.previous?.metadata;
  const after = event.object.metadata;
  if (event.type !== "MODIFIED" || before === undefined) return false;
  return before.generation === after.generation && before.deletionTimestamp === after.deletionTimestamp &&
    JSON.stringify(before.finalizers ?? []) === JSON.stringify(after.finalizers ?? []);
}

/**
 * One leadership term: informers, queues, workers and the spread event follower. Built afresh
 * each time this replica becomes leader, so nothing of a previous term leaks into the next.
 */
class ControllerRun {
  readonly #strategies: Informer<StrategyResource>;
  readonly #trades: Informer<TradeResource>;
  readonly #loops: ControllerLoop[];
  readonly #follower: SpreadEventFollower;
  readonly #metrics: ControllerMetrics;
  #stopped = false;

  constructor(options: ControllerOptions, metrics: ControllerMetrics) {
    const { store, clock, logger, namespace, tuning = {} } = options;
    this.#metrics = metrics;
    const informer = <T extends StrategyResource | TradeResource>(kind: ControllerKind, type: typeof STRATEGY) =>
      new Informer<T>({
        store, type, clock, logger, ...(namespace === undefined ? {} : { namespace }),
        ...(tuning.informerBackoff === undefined ? {} : { backoff: tuning.informerBackoff }),
        onRestart: (reason) => { metrics.informerRestarted(kind, reason); },
      });
    this.#strategies = informer<StrategyResource>("strategy", STRATEGY);
    this.#trades = informer<TradeResource>("trade", TRADE);
    this.#trades.addIndex("owner", ownerUids);
    this.#trades.addIndex("uid", (t) => (t.metadata.uid === undefined ? [] : [t.metadata.uid]));

    const queue = (kind: ControllerKind) => new WorkQueue({ clock, observer: metrics.queue(kind), ...(tuning.rateLimit === undefined ? {} : { rateLimit: tuning.rateLimit }) });
    const strategyQueue = queue("strategy");
    const tradeQueue = queue("trade");
    this.#strategies.addHandler((event) => {
      if (statusOnly(event)) return;
      strategyQueue.add(event.key);
      // Its trades react to it too: a pause or resume, a deletion.
      const uid = event.object.metadata.uid;
      if (uid !== undefined) for (const trade of this.#trades.byIndex("owner", uid)) tradeQueue.add(objectKey(trade));
    });
    this.#trades.addHandler((event) => {
      tradeQueue.add(event.key);
      // A Trade's change can change its Strategy's roll-up (open trades, P&L, budget).
      const ns = event.object.metadata.namespace;
      for (const owner of [...(event.object.metadata.ownerReferences ?? []), ...(event.previous?.metadata.ownerReferences ?? [])]) {
        if (owner.kind === STRATEGY.kind && owner.controller === true) strategyQueue.add(ns === undefined ? owner.name : `${ns}/${owner.name}`);
      }
    });

    const isLeader = options.leadership === undefined ? undefined : () => options.leadership?.isLeader() ?? false;
    const events = new EventRecorder(store, logger);
    const owned = { ownedBy: (uid: string) => this.#trades.byIndex("owner", uid) };
    const finalizer = new StrategyFinalizer({
      store, trades: owned, execution: options.execution, events, clock, logger,
      tradeInFlight: (key) => tradeQueue.isProcessing(key),
      ...(tuning.rpcTimeoutMs === undefined ? {} : { rpcTimeoutMs: tuning.rpcTimeoutMs }),
    });
    const strategies = new StrategyReconciler(
      {
        store, strategies: this.#strategies, trades: owned, strategy: options.strategy, finalizer, events, clock, logger,
        broker: new BrokerStatusCache(options.gateway, clock, tuning.brokerStatusTtlMs === undefined ? {} : { ttlMs: tuning.brokerStatusTtlMs }),
        ...(isLeader === undefined ? {} : { isLeader }),
      },
      tuning,
    );
    const trades = new TradeReconciler(
      {
        store, trades: this.#trades, strategies: this.#strategies, execution: options.execution, events, clock, logger,
        writer: new TradeStatusWriter(store, events, clock),
        ...(isLeader === undefined ? {} : { isLeader }),
      },
      tuning.trade,
    );
    const workers = options.workers ?? 4;
    this.#loops = [
      new ControllerLoop({ name: "Strategy", queue: strategyQueue, workers, logger, clock, reconcile: (key, signal) => strategies.reconcile(key, signal), observe: (o, ms) => { metrics.reconciled("strategy", o, ms); } }),
      new ControllerLoop({ name: "Trade", queue: tradeQueue, workers, logger, clock, reconcile: (key, signal) => trades.reconcile(key, signal), observe: (o, ms) => { metrics.reconciled("trade", o, ms); } }),
    ];
    this.#follower = new SpreadEventFollower({
      execution: options.execution, clock, logger,
      keyOf: (tradeId) => { const t = this.#trades.byIndex("uid", tradeId)[0]; return t === undefined ? undefined : objectKey(t); },
      enqueue: (key) => { tradeQueue.add(key); },
    });
  }

  /** Lists and watches; once both caches have synced, starts the workers. */
  async start(): Promise<void> {
    this.#strategies.start();
    this.#trades.start();
    const synced = await Promise.all([this.#strategies.waitForSync(), this.#trades.waitForSync()]);
    if (this.#stopped || synced.includes(false)) return;
    for (const loop of this.#loops) loop.start();
    this.#follower.start();
    this.#metrics.setSource({ strategies: () => this.#strategies.list(), trades: () => this.#trades.list() });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#metrics.setSource(undefined);
    await this.#follower.stop();
    await Promise.all(this.#loops.map((loop) => loop.stop()));
    this.#strategies.stop();
    this.#trades.stop();
  }
}

/**
 * The operator: Strategy and Trade reconcilers over a ResourceStore, the strategy, execution and
 * gateway services as ports, leader-elected when given a Leadership. Free of process concerns
 * (no signals, no server), so `spreadops controller` and the all-in-one host it alike.
 */
export function buildController(options: ControllerOptions): Controller {
  const metrics = createControllerMetrics(options.metrics);
  const { logger, leadership } = options;
  let run: ControllerRun | undefined;

  const begin = async (): Promise<void> => {
    if (run !== undefined) return;
    const current = new ControllerRun(options, metrics);
    run = current;
    logger.info({ namespace: options.namespace ?? "(all)" }, "controller starting: informers and workers");
    await current.start();
  };
  const end = async (): Promise<void> => {
    const current = run;
    run = undefined;
    if (current === undefined) return;
    logger.info("controller stopping: informers and workers");
    await current.stop();
  };

  return {
    async start(): Promise<void> {
      if (leadership === undefined) {
        await begin();
        return;
      }
      leadership.subscribe({
        onStartedLeading: () => {
          begin().catch((error: unknown) => { logger.error({ err: error }, "controller failed to start"); });
        },
        onStoppedLeading: () => end(),
      });
      leadership.start();
    },
    async stop(): Promise<void> {
      if (leadership !== undefined) await leadership.stop();
      await end();
    },
    isActive: () => run !== undefined,
  };
}
