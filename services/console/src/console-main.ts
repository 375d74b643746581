/**
 * CONTRACT (lead): the console as a runtime service. The server helper fills in `start`; the
 * all-in-one (services/cli) and the image's main use exactly this signature.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { ActivitySource, ConsoleService, ExecutionService, GatewayService, StrategyService } from "@spreadops/api";
import type { ResourceStore } from "@spreadops/resources";
import { STRATEGY, clusterResourceStore } from "@spreadops/resources";
import type { Clock, ServiceDefinition } from "@spreadops/runtime";
import { childLogger, connectService, offsetClock, systemClock } from "@spreadops/runtime";
import { ActivityFeed } from "./activity-feed.js";
import { AuditTrail } from "./audit-trail.js";
import { consoleOptions, type ConsoleConfig } from "./console-options.js";
import { createConsoleMetrics } from "./console-metrics.js";
import { ConsoleServiceImpl } from "./console-service.js";
import { MutationGuard, loadConsoleToken, parseAllowedOrigins } from "./mutation-guard.js";
import { OrderEventFollower, orderActivity } from "./order-activity.js";
import { READ_ALLOWLIST, registerReadProxy } from "./read-proxy.js";
import { ResourceActions } from "./resource-actions.js";
import { resourceActivity } from "./resource-activity.js";
import { ResourceCache } from "./resource-cache.js";
import { defaultWebRoot, staticFiles } from "./static-files.js";
import { StrategyChecker } from "./strategy-check.js";
import type { Upstream } from "./upstreams.js";
import { UpstreamMonitor } from "./upstreams.js";

/** Replaceable collaborators (tests, in-process hosting); default: the Kubernetes API. */
export interface ConsoleParts {
  /** The resource store; default the Kubernetes API from in-cluster config or KUBECONFIG. */
  readonly store?: (config: ConsoleConfig) => ResourceStore;
  /** Which store that is, for GetConsoleInfo; default "kubernetes" (the all-in-one says "embedded"). */
  readonly storeKind?: "embedded" | "kubernetes";
  /** Wall clock; default the system clock shifted by --clock-offset. */
  readonly clock?: Clock;
  /** Environment for finding the cluster; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder of the built web app (index.html, app.js, app.css); default this package's dist/web. */
  readonly webRoot?: string;
}

/** The console as a runtime service, for `main` (serviceMain) and `spreadops console` / `spreadops all`. */
export function consoleDefinition(version: string, parts: ConsoleParts = {}): ServiceDefinition<ReturnType<typeof consoleOptions>> {
  return {
    name: "console",
    version,
    summary: "The web console: connection, strategies, live scanner, trade approval, positions and activity.",
    options: consoleOptions(),
    async start({ config, logger, metrics, readiness, lifecycle }) {
      const env = parts.env ?? process.env;
      const clock = parts.clock ?? offsetClock(systemClock, config.clockOffset * 1000);
      const namespace = config.namespace;
      // Configuration mistakes fail the start, before anything is opened.
      const token = loadConsoleToken(config);
      const guard = new MutationGuard({ token, allowedOrigins: parseAllowedOrigins(config.allowedOrigins) });
      const store = parts.store?.(config) ?? clusterResourceStore(env, "console");
      const consoleMetrics = createConsoleMetrics(metrics);

      const activity = new ActivityFeed({ clock });
      lifecycle.register("activity", () => { activity.close(); });
      const audit = await AuditTrail.open({
        logger: childLogger(logger, { component: "audit" }), store, namespace, activity, clock, ...(config.auditLog === undefined ? {} : { file: config.auditLog }),
      });
      lifecycle.register("audit-log", () => audit.close());

      // Clients of the three services; calls fail (Unavailable naming the service) while one is
      // down, and the console serves regardless.
      const upstreams: Record<"gateway" | "strategy" | "execution", Upstream> = {
        gateway: { name: "gateway", url: config.gatewayUrl },
        strategy: { name: "strategy", url: config.strategyUrl },
        execution: { name: "execution", url: config.executionUrl },
      };
      const gateway = connectService(GatewayService, { baseUrl: config.gatewayUrl, lifecycle }).client;
      const strategy = connectService(StrategyService, { baseUrl: config.strategyUrl, lifecycle }).client;
      const execution = connectService(ExecutionService, { baseUrl: config.executionUrl, lifecycle }).client;
      const monitor = new UpstreamMonitor({ upstreams: Object.values(upstreams), clock, logger: childLogger(logger, { component: "upstreams" }), activity, metrics: consoleMetrics });

      const cache = new ResourceCache({ store, namespace, clock, logger: childLogger(logger, { component: "resource-cache" }), metrics: consoleMetrics });
      cache.onChange((change) => {
        for (const entry of resourceActivity(change)) activity.add(entry);
      });
      const follower = new OrderEventFollower({
        execution,
        monitor,
        clock,
        logger: childLogger(logger, { component: "order-events" }),
        onEvent: (event) => {
          const entry = orderActivity(event, (tradeId) => {
            const trade = cache.findByUid("Trade", tradeId);
            const name = (trade?.metadata as { name?: unknown } | undefined)?.name;
            return typeof name === "string" ? name : undefined;
          });
          if (entry !== undefined) activity.add(entry);
        },
      });
      lifecycle.register("background", async () => {
        monitor.stop();
        cache.stop();
        await follower.stop();
      });
      // Browsers hold streams open for as long as the page is; the server drains in-flight calls
      // at shutdown, so end them (Unavailable: reconnect, to another replica) as soon as shutdown
      // begins instead of waiting out --drain-timeout.
      const stopping = new AbortController();
      lifecycle.stopping.addEventListener("abort", () => {
        const error = new ConnectError("the console is shutting down; reconnect", Code.Unavailable);
        stopping.abort(error);
        cache.stop(error);
        activity.close(error);
      }, { once: true });

      readiness.add("store", async () => {
        const listed = await store.list(STRATEGY, namespace);
        return { ok: true, message: `${listed.items.length} strategies in ${namespace}` };
      });

      const service = new ConsoleServiceImpl({
        info: { version, namespace, store: parts.storeKind ?? "kubernetes", startedAtMs: clock.now(), now: () => clock.now() },
        store,
        cache,
        activity,
        checker: new StrategyChecker({ namespace, strategy, monitor, logger: childLogger(logger, { component: "check-strategy" }) }),
        actions: new ResourceActions({ store, namespace }),
        guard,
        audit,
        metrics: consoleMetrics,
      });

      activity.add({
        source: ActivitySource.SYSTEM,
        reason: "ConsoleStarted",
        message: `console ${version} started on namespace ${namespace} (${guard.mutationsEnabled ? "changes need the console token" : "read-only: no token configured"})`,
      });
      cache.start();
      monitor.start();
      follower.start();
      if (!guard.mutationsEnabled) logger.warn("no --token or --token-file: the console is read-only");

      const webRoot = parts.webRoot ?? defaultWebRoot();
      return {
        routes: (router) => {
          router.service(ConsoleService, service);
          const common = { monitor, metrics: consoleMetrics, stopping: stopping.signal };
          registerReadProxy(router, { service: READ_ALLOWLIST.gateway.service, client: gateway, methods: READ_ALLOWLIST.gateway.methods, upstream: upstreams.gateway, ...common });
          registerReadProxy(router, { service: READ_ALLOWLIST.strategy.service, client: strategy, methods: READ_ALLOWLIST.strategy.methods, upstream: upstreams.strategy, ...common });
          registerReadProxy(router, { service: READ_ALLOWLIST.execution.service, client: execution, methods: READ_ALLOWLIST.execution.methods, upstream: upstreams.execution, ...common });
        },
        httpFallback: staticFiles({ root: webRoot, logger: childLogger(logger, { component: "web" }) }),
      };
    },
  };
}
