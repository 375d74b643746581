import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { AlwaysLeader } from "./always-leader.js";
import type { Clock as RuntimeClock } from "./clock.js";

/** The part of the clock used here. */
type Clock = Pick<RuntimeClock, "now" | "sleep">;
import type { Readiness } from "./health.js";
import { createKubernetesLeaseStore } from "./kubernetes-lease-store.js";
import { LeaderElector, defaultLeaderIdentity } from "./leader-election.js";
import type { LeaderElectionConfig, ReadTextFile } from "./leader-election-options.js";
import { readTextFile, resolveLeaseNamespace } from "./leader-election-options.js";
import type { Leadership, LeadershipListener } from "./leadership.js";
import type { LeaseStore } from "./lease-store.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { Lifecycle } from "./shutdown.js";

/**
 * The cluster, if there is one: in-cluster config when running in a pod
 * (`KUBERNETES_SERVICE_HOST`), else `KUBECONFIG` or `~/.kube/config` if present, else `undefined`.
 */
export function findKubeConfig(
  env: Readonly<Record<string, string | undefined>>,
  fileExists: (path: string) => boolean = existsSync,
): KubeConfig | undefined {
  const kubeConfig = new KubeConfig();
  if (env["KUBERNETES_SERVICE_HOST"] !== undefined && env["KUBERNETES_SERVICE_HOST"] !== "") {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  const explicit = env["KUBECONFIG"];
  if ((explicit !== undefined && explicit !== "") || fileExists(join(homedir(), ".kube", "config"))) {
    kubeConfig.loadFromDefault();
    return kubeConfig;
  }
  return undefined;
}

/** What {@link createLeadership} needs. */
export interface CreateLeadershipOptions extends LeadershipListener {
  readonly config: LeaderElectionConfig;
  readonly logger: Logger;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The cluster; default {@link findKubeConfig}. `null` means: no cluster. */
  readonly kubeConfig?: KubeConfig | null;
  /** Overrides the Kubernetes store (tests, single-process setups). */
  readonly store?: LeaseStore;
  readonly clock?: Clock;
  readonly readFile?: ReadTextFile;
}

/**
 * A {@link LeaderElector} on a Kubernetes Lease, or an {@link AlwaysLeader} when leader
 * election is off or there is no cluster. Not started.
 */
export function createLeadership(options: CreateLeadershipOptions): Leadership {
  const { config, logger } = options;
  const env = options.env ?? process.env;
  const identity = config.leaderIdentity ?? defaultLeaderIdentity(env);
  if (config.leaderElection === "off") {
    logger.info({ identity }, "leader election is off: this replica always leads");
    return withListener(new AlwaysLeader({ identity, logger }), options);
  }
  let store = options.store;
  let contextNamespace: string | undefined;
  if (store === undefined) {
    const kubeConfig = options.kubeConfig === undefined ? findKubeConfig(env) : options.kubeConfig;
    if (kubeConfig === null || kubeConfig === undefined) {
      logger.warn({ identity }, "no Kubernetes cluster found: this replica always leads");
      return withListener(new AlwaysLeader({ identity, logger }), options);
    }
    contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
    store = createKubernetesLeaseStore(kubeConfig);
  }
  const namespace = resolveLeaseNamespace(config.leaseNamespace, env, options.readFile ?? readTextFile, contextNamespace);
  const elector = new LeaderElector({
    store,
    lease: { namespace, name: config.leaseName },
    identity,
    logger,
    timings: { leaseDurationMs: config.leaseDuration, renewDeadlineMs: config.renewDeadline, retryPeriodMs: config.retryPeriod },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return withListener(elector, options);
}

function withListener(leadership: Leadership, listener: LeadershipListener): Leadership {
  leadership.subscribe(listener);
  return leadership;
}

/** What {@link instrumentLeadership} wires a leadership into. */
export interface InstrumentLeadershipOptions {
  /** Value of the `component` label, e.g. `gateway`. */
  readonly component: string;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly lifecycle: Lifecycle;
  /** How long stopping (onStoppedLeading + release) may take at shutdown; default 5 s. */
  readonly stopTimeoutMs?: number;
}

/**
 * Wires leadership into the runtime: the `leader` readiness check (a follower is NotReady), the
 * `spreadops_leader_is_leader{component}` gauge, the `spreadops_leader_transitions_total{component}`
 * counter (each time this replica starts or stops leading), and a Lifecycle close that stops
 * leading and releases the lease at SIGTERM. Transitions are logged by the leadership itself.
 */
export function instrumentLeadership(leadership: Leadership, options: InstrumentLeadershipOptions): Leadership {
  const { component } = options;
  // Set from the callbacks, not a scrape-time `collect`: a collect is per metric, and in
  // `spreadops all` several components share the metric with their own label values.
  const isLeader = options.metrics.gauge({
    name: "leader_is_leader",
    help: "1 while this replica is the leader, else 0.",
    labelNames: ["component"],
  });
  const transitions = options.metrics.counter({
    name: "leader_transitions_total",
    help: "Times this replica started or stopped leading.",
    labelNames: ["component"],
  });
  isLeader.set({ component }, leadership.isLeader() ? 1 : 0);
  transitions.inc({ component }, 0);
  leadership.subscribe({
    onStartedLeading: () => {
      isLeader.set({ component }, 1);
      transitions.inc({ component });
    },
    onStoppedLeading: () => {
      isLeader.set({ component }, 0);
      transitions.inc({ component });
    },
  });
  options.readiness.add("leader", () => {
    if (leadership.isLeader()) return { ok: true, message: "leader" };
    const leader = leadership.currentLeader();
    return { ok: false, message: leader === undefined ? "standby, no leader yet" : `standby, leader is ${leader}` };
  });
  options.lifecycle.register(`leader-election-${component}`, () => leadership.stop(), { timeoutMs: options.stopTimeoutMs ?? 5_000 });
  return leadership;
}
