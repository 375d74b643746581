/**
 * The shapes of the limit modules (`limits/`) as the server uses them, so sessions and handlers
 * depend on behaviour, not on the concrete classes the composition root picks.
 */

/** Per-connection client message rate (error 100, then disconnect). */
export interface MessageRateLimit {
  onMessage(nowMs: number): "ok" | "violation" | "disconnect";
  readonly peakPerSecond: number;
}

/** Account-wide market-data lines (error 101). */
export interface LineBudget {
  acquire(key: string): boolean;
  release(key: string): void;
  readonly inUse: number;
  readonly peak: number;
  readonly limit: number;
}

/** Account-wide historical-data pacing (error 162). */
export interface HistoricalPacing {
  check(request: { identity: string; contractKey: string }, nowMs: number): { ok: true } | { ok: false; reason: string };
}
