import type { Metrics } from "@spreadops/runtime";

/**
 * The scanner's own metrics (the runtime adds RPC counts and latencies per method):
 * `scanDuration` (engine time per underlying by outcome, `ok` or the error code), `fetchDuration`
 * (gateway time per underlying by what: `chain`, `iv_history`), `contracts` (rows handed to the
 * engine), `pairs` (pairs evaluated), `candidates` (returned) and `errors` (by stage `chain`,
 * `iv_history`, `scan`, and cause, the error code name).
 */
export type ScannerMetrics = ReturnType<typeof createScannerMetrics>;

/** The scanner's metrics on the service's registry (shared when several services share one). */
export function createScannerMetrics(metrics: Metrics) {
  return {
    scanDuration: metrics.histogram({
      name: "scanner_scan_duration_seconds",
      help: "Engine time per scanned underlying, by outcome.",
      labelNames: ["outcome"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    fetchDuration: metrics.histogram({
      name: "scanner_fetch_duration_seconds",
      help: "Time spent fetching from the gateway per underlying, by what was fetched.",
      labelNames: ["what"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
    contracts: metrics.counter({ name: "scanner_contracts_considered_total", help: "Option rows handed to the scan engine." }),
    pairs: metrics.counter({ name: "scanner_pairs_evaluated_total", help: "Spread pairs built and evaluated by the scan engine." }),
    candidates: metrics.counter({ name: "scanner_candidates_returned_total", help: "Ranked candidates returned to callers." }),
    errors: metrics.counter({
      name: "scanner_errors_total",
      help: "Underlyings that could not be scanned (or whose IV history failed), by stage and cause.",
      labelNames: ["stage", "cause"] as const,
    }),
  };
}
