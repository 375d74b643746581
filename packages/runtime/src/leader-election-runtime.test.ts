import { describe, expect, it } from "vitest";
import { AlwaysLeader } from "./always-leader.js";
import { parseConfig } from "./config.js";
import { Readiness } from "./health.js";
import { LeaderElector } from "./leader-election.js";
import { SERVICE_ACCOUNT_NAMESPACE_FILE, leaderElectionOptions, resolveLeaseNamespace } from "./leader-election-options.js";
import { createLeadership, findKubeConfig, instrumentLeadership } from "./leader-election-runtime.js";
import { createLogger } from "./logger.js";
import { MemoryLeaseStore } from "./memory-lease-store.js";
import { createMetrics } from "./metrics.js";
import { Lifecycle } from "./shutdown.js";
import { FakeTime } from "./testing/fake-time.js";

const logger = createLogger({ service: "test", level: "silent" });
const options = leaderElectionOptions("gateway");
const parse = (argv: string[] = [], env: Record<string, string> = {}) => parseConfig(options, { argv, env });

describe("leader election options", () => {
  it("defaults to client-go's timings and a per-service lease", () => {
    expect(parse()).toEqual({
      leaderElection: "on",
      leaseName: "spreadops-gateway",
      leaseNamespace: undefined,
      leaderIdentity: undefined,
      leaseDuration: 15_000,
      renewDeadline: 10_000,
      retryPeriod: 2_000,
    });
    expect(parse(["--leader-election", "off", "--lease-duration", "30s"], { SPREADOPS_GATEWAY_LEASE_NAME: "gw" })).toMatchObject({
      leaderElection: "off",
      leaseName: "gw",
      leaseDuration: 30_000,
    });
    expect(() => parse(["--lease-name", "Not_A_Name"])).toThrow(/DNS subdomain/);
  });

  it("resolves the namespace: option, POD_NAMESPACE, service account file, kubeconfig, default", () => {
    const file = (path: string) => (path === SERVICE_ACCOUNT_NAMESPACE_FILE ? "trading\n" : undefined);
    const none = () => undefined;
    expect(resolveLeaseNamespace("explicit", { POD_NAMESPACE: "pod" }, file)).toBe("explicit");
    expect(resolveLeaseNamespace(undefined, { POD_NAMESPACE: "pod" }, file)).toBe("pod");
    expect(resolveLeaseNamespace(undefined, {}, file, "ctx")).toBe("trading");
    expect(resolveLeaseNamespace(undefined, {}, none, "ctx")).toBe("ctx");
    expect(resolveLeaseNamespace(undefined, {}, none)).toBe("default");
  });

  it("finds no cluster without in-cluster env, KUBECONFIG or ~/.kube/config", () => {
    expect(findKubeConfig({}, () => false)).toBeUndefined();
  });
});

describe("createLeadership", () => {
  it("always leads when off or without a cluster", () => {
    expect(createLeadership({ config: parse(["--leader-election=off"]), logger })).toBeInstanceOf(AlwaysLeader);
    expect(createLeadership({ config: parse(), logger, kubeConfig: null, env: {} })).toBeInstanceOf(AlwaysLeader);
  });

  it("elects on the given store, in the resolved namespace, with the configured identity", async () => {
    const time = new FakeTime();
    const store = new MemoryLeaseStore();
    const leadership = createLeadership({
      config: parse(["--leader-identity", "gw-0"]),
      logger,
      store,
      clock: time.clock(),
      env: { POD_NAMESPACE: "trading" },
      readFile: () => undefined,
    });
    expect(leadership).toBeInstanceOf(LeaderElector);
    leadership.start();
    await time.advance(1);
    expect(store.peek({ namespace: "trading", name: "spreadops-gateway" })?.holderIdentity).toBe("gw-0");
    await leadership.stop();
  });
});

describe("instrumentLeadership", () => {
  it("adds the leader readiness check, metrics and a lifecycle close that releases the lease", async () => {
    const time = new FakeTime();
    const store = new MemoryLeaseStore();
    const key = { namespace: "trading", name: "spreadops-gateway" };
    await store.create({ ...key, holderIdentity: "other", leaseDurationSeconds: 15 });
    const metrics = createMetrics({ service: "gateway", defaultMetrics: false });
    const readiness = new Readiness();
    const lifecycle = new Lifecycle({ logger });
    const leadership = instrumentLeadership(
      new LeaderElector({ store, lease: key, identity: "gw-0", logger, clock: time.clock() }),
      { component: "gateway", metrics, readiness, lifecycle },
    );
    leadership.start();
    await time.advance(1);
    expect((await readiness.evaluate()).checks).toEqual([
      { name: "leader", ok: false, message: "standby, leader is other", durationMs: expect.any(Number) as number },
    ]);
    expect(await metrics.registry.metrics()).toContain('spreadops_leader_is_leader{component="gateway",service="gateway"} 0');

    await time.advance(20_000); // "other" never renews: taken over after 15 s
    expect((await readiness.evaluate()).ok).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('spreadops_leader_is_leader{component="gateway",service="gateway"} 1');
    expect(text).toContain('spreadops_leader_transitions_total{component="gateway",service="gateway"} 1');

    const report = await lifecycle.shutdown("SIGTERM");
    expect(report.results.map((r) => [r.name, r.ok])).toEqual([["leader-election-gateway", true]]);
    expect(store.peek(key)).toMatchObject({ holderIdentity: "", leaseTransitions: 1 });
    expect(await metrics.registry.metrics()).toContain('spreadops_leader_transitions_total{component="gateway",service="gateway"} 2');
  });
});
