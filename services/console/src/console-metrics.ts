import type { Metrics } from "@spreadops/runtime";

/** How a mutating call ended, as a metric label (the audit log has the detail). */
export type MutationOutcome = "ok" | "denied" | "failed";

/** The console's own metrics, `spreadops_console_…` (RPC counts come from the runtime). */
export interface ConsoleMetrics {
  /** Counts one mutating call by action (e.g. ApproveTrade) and outcome. */
  mutation(action: string, outcome: MutationOutcome): void;
  /** Counts an open stream (WatchResources, WatchActivity, a proxied watch); returns its close. */
  streamOpened(stream: string): () => void;
  /** Whether an upstream service (gateway, strategy, execution) answers. */
  upstreamUp(service: string, up: boolean): void;
  /** The shared resource cache listed again (gone: the watch expired; error: after a failure). */
  storeRelisted(reason: "gone" | "error"): void;
}

/** Registers the console's metrics on the service's registry. */
export function createConsoleMetrics(metrics: Metrics): ConsoleMetrics {
  const mutations = metrics.counter({
    name: "console_mutations_total", help: "Mutating console calls by action and outcome (ok, denied by the token or origin checks, failed).", labelNames: ["action", "outcome"],
  });
  const streams = metrics.gauge({ name: "console_streams", help: "Server streams open to browsers, by stream.", labelNames: ["stream"] });
  const upstream = metrics.gauge({ name: "console_upstream_up", help: "1 when the upstream service answers, 0 when it cannot be reached.", labelNames: ["upstream"] });
  const relists = metrics.counter({ name: "console_store_relists_total", help: "Relists of the console's shared Strategy/Trade cache, by reason (gone, error).", labelNames: ["reason"] });
  return {
    mutation(action, outcome) {
      mutations.inc({ action, outcome });
    },
    streamOpened(stream) {
      streams.inc({ stream });
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        streams.dec({ stream });
      };
    },
    upstreamUp(service, up) {
      upstream.set({ upstream: service }, up ? 1 : 0);
    },
    storeRelisted(reason) {
      relists.inc({ reason });
    },
  };
}

/** Metrics that go nowhere, for unit tests. */
export const noConsoleMetrics: ConsoleMetrics = {
  mutation: () => undefined,
  streamOpened: () => () => undefined,
  upstreamUp: () => undefined,
  storeRelisted: () => undefined,
};
